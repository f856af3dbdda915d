import { isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import {
  type AppConfig,
  assertSharedSecretsConfigured,
  ConfigError,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  defaultTokenTtlSeconds,
  loadConfig,
  markServerRunning,
  resolveAuthSecret,
  SERVER_ROLES,
  signJwt,
  StorageUnavailableError,
} from '#platform';
import { resolveChannelSecretsKey } from './config/channel-secrets-key.js';
import { handOverSignInLink, removeSignInLink } from './auth/sign-in-link.js';
import { createApp } from './create-app.js';
import { closeOnSignals } from './shutdown/graceful-shutdown.js';

/** `--roles api,projections` (the only option the server takes). */
const rolesArgument = (): string | undefined => {
  try {
    return parseArgs({ options: { roles: { type: 'string' } } }).values.roles;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; the server takes only --roles ${SERVER_ROLES.join(',')}`);
  }
};

const main = async (): Promise<void> => {
  const config = loadConfig(process.env, rolesArgument());
  assertSharedSecretsConfigured(config, ['AUTH_SECRET', 'CHANNEL_SECRETS_KEY']);
  const { secret, generated } = resolveAuthSecret(config.authSecret, config.dataDir);
  const channelSecretsKey = resolveChannelSecretsKey(config.channelSecretsKey, config.dataDir);
  const app = await createApp({ ...config, authSecret: secret, channelSecretsKey });
  await app.listen(config.port, config.host).catch(async (error: unknown) => {
    await app.close();
    throw listenRefusal(error, config);
  });
  closeOnSignals(app, config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS, new Logger('Shutdown'));
  if (config.eventStore.kind === 'sqlite' || config.readModel.kind === 'sqlite') {
    // Operator commands that write refuse to run beside a server on the same embedded stores.
    process.once('exit', markServerRunning(config.dataDir));
  }
  const logger = new Logger('Workflows');
  const url = `http://${reachableHost(config.host)}:${config.port}`;
  // Embedded mode hands the operator a way in at once (the secret itself is never printed). Signed
  // first, so that the link is there the moment the server says it serves.
  const handsOverLink = config.authSecret === undefined && config.roles.has('api');
  const ttlSeconds = defaultTokenTtlSeconds(config.authMaxTokenTtlSeconds);
  const token = handsOverLink ? await signJwt({ sub: 'admin', role: 'admin' }, secret, ttlSeconds) : undefined;
  if (config.authSecret !== undefined && config.roles.has('api')) removeSignInLink(config.dataDir);
  const docs = config.roles.has('api') ? ` (API docs: ${url}/docs)` : '';
  logger.log(`Serving ${url}${docs} as ${[...config.roles].join(', ')}; ${describeStorage(config)}`);
  if (token !== undefined) {
    if (generated) logger.log(`Generated a signing secret into ${config.dataDir}/auth-secret`);
    const validFor = ttlSeconds % 3600 === 0 ? `${ttlSeconds / 3600} h` : `${Math.round(ttlSeconds / 60)} min`;
    handOverSignInLink(
      { baseUrl: url, token, validFor },
      { dataDir: config.dataDir, terminal: process.stdout, logFormat: config.logFormat },
      logger,
    );
  }
};

/** Why the server could not listen, as the setting to change: PORT or HOST. */
const listenRefusal = (error: unknown, { port, host }: AppConfig): unknown => {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ConfigError(`PORT ${port} is in use on ${host} by another process; stop it or choose another PORT`);
    case 'EACCES':
      return new ConfigError(`PORT ${port} needs privileges this process does not have (ports below 1024); choose another PORT`);
    case 'EADDRNOTAVAIL':
      return new ConfigError(`HOST ${host} is not an address of this machine; use one of its addresses, or 0.0.0.0 for all`);
    default:
      return error;
  }
};

/** How this machine reaches the server: localhost where it listens on every interface. */
const reachableHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost') return 'localhost';
  return isIPv6(host) ? `[${host}]` : host;
};

const describeStorage = (config: AppConfig): string =>
  [
    config.eventStore.kind === 'esdb' ? 'events in EventStoreDB' : `events in ${config.dataDir}/events.sqlite`,
    config.readModel.kind === 'mongodb' ? 'read models in MongoDB' : `read models in ${config.dataDir}/read-models.sqlite`,
  ].join(', ');

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : error instanceof StorageUnavailableError
        ? `Cannot start: ${error.message}`
        : (error as Error).stack;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
