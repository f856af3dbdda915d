import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';

/** The secrets every process of a deployment must hold the same value of. */
export type SharedSecret = 'AUTH_SECRET' | 'CHANNEL_SECRETS_KEY';

type SecretsConfig = Pick<AppConfig, 'eventStore' | 'readModel' | 'authSecret' | 'channelSecretsKey'>;

const configuredValue = (config: SecretsConfig, name: SharedSecret): string | undefined =>
  name === 'AUTH_SECRET' ? config.authSecret : config.channelSecretsKey;

/**
 * Only the embedded mode (both stores SQLite files under DATA_DIR, which all its processes share)
 * generates a missing secret into DATA_DIR. With EventStoreDB or MongoDB the processes of a
 * deployment need not share a directory, and each would make a secret of its own: one process would
 * refuse another's tokens, or could not open the channel secrets another sealed.
 */
export const assertSharedSecretsConfigured = (config: SecretsConfig, needed: readonly SharedSecret[]): void => {
  if (config.eventStore.kind === 'sqlite' && config.readModel.kind === 'sqlite') return;
  const missing = needed.filter((name) => configuredValue(config, name) === undefined);
  if (missing.length === 0) return;
  const backends = [
    ...(config.eventStore.kind === 'sqlite' ? [] : [`EVENT_STORE=${config.eventStore.kind}`]),
    ...(config.readModel.kind === 'sqlite' ? [] : [`READ_MODEL=${config.readModel.kind}`]),
  ].join(' and ');
  throw new ConfigError(
    `${missing.join(' and ')} must be set with ${backends}: every process of the deployment needs the same value ` +
      '(only the embedded SQLite mode generates one into DATA_DIR)',
  );
};
