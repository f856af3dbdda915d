import { resolveGeneratedSecret } from './generated-secret.js';

/** Without AUTH_SECRET, one generated into DATA_DIR: tokens issued before a restart stay valid. */
export const resolveAuthSecret = (configured: string | undefined, dataDir: string): { secret: string; generated: boolean } =>
  resolveGeneratedSecret(configured, dataDir, 'auth-secret');
