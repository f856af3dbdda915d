import { Logger } from '@nestjs/common';
import { signJwt } from './auth/jwt.js';
import { resolveAuthSecret } from './config/auth-secret.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './create-app.js';

const SIGN_IN_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const main = async (): Promise<void> => {
  const config = loadConfig();
  const { secret, generated } = resolveAuthSecret(config.authSecret, config.dataDir);
  const app = await createApp({ ...config, authSecret: secret });
  await app.listen(config.port, '0.0.0.0');
  const logger = new Logger('Workflows');
  const url = `http://localhost:${config.port}`;
  logger.log(`Serving ${url} (API docs: ${url}/docs), data in ${config.dataDir}`);
  if (config.authSecret === undefined) {
    // Embedded mode: hand the operator a way in at once. The secret itself is never printed.
    if (generated) logger.log(`Generated a signing secret into ${config.dataDir}/auth-secret`);
    const token = signJwt({ sub: 'admin', role: 'admin' }, secret, SIGN_IN_TOKEN_TTL_SECONDS);
    logger.log(`Admin sign-in token (valid 12 h; more with "npm run cli -- token"):\n${token}`);
    logger.log(`Try: curl -H "Authorization: Bearer ${token}" ${url}/workflows`);
  }
};

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : (error as Error).stack;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
