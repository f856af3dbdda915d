import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FILE = 'auth-secret';

/**
 * Embedded mode needs no set-up: without AUTH_SECRET a secret is generated once into DATA_DIR
 * (readable by the owner only) and reused on every start, so issued tokens stay valid.
 */
export const resolveAuthSecret = (
  configured: string | undefined,
  dataDir: string,
): { secret: string; generated: boolean } => {
  if (configured) return { secret: configured, generated: false };
  const file = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  // 'wx' refuses to overwrite a secret another process wrote in the meantime.
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, generated: true };
};
