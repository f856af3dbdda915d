import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { assertSharedSecretsConfigured } from './shared-secrets.js';

const SQLITE = { kind: 'sqlite' } as const;
const ESDB: AppConfig['eventStore'] = { kind: 'esdb', connectionString: 'esdb://localhost:2113?tls=false' };
const MONGODB: AppConfig['readModel'] = { kind: 'mongodb', uri: 'mongodb://localhost:27017/workflows' };
const BOTH_SECRETS = { authSecret: 'a'.repeat(32), channelSecretsKey: 'k'.repeat(44) };
const NO_SECRETS = { authSecret: undefined, channelSecretsKey: undefined };

const problemOf = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

describe('assertSharedSecretsConfigured', () => {
  it('lets the embedded mode generate what is missing', () => {
    expect(
      problemOf(() =>
        assertSharedSecretsConfigured({ eventStore: SQLITE, readModel: SQLITE, ...NO_SECRETS }, ['AUTH_SECRET', 'CHANNEL_SECRETS_KEY']),
      ),
    ).toBeUndefined();
  });

  it('names each missing secret and the backend that needs it shared', () => {
    expect(
      problemOf(() =>
        assertSharedSecretsConfigured({ eventStore: ESDB, readModel: SQLITE, ...NO_SECRETS }, ['AUTH_SECRET', 'CHANNEL_SECRETS_KEY']),
      ),
    ).toBe(
      'AUTH_SECRET and CHANNEL_SECRETS_KEY must be set with EVENT_STORE=esdb: every process of the deployment needs the same value ' +
        '(only the embedded SQLite mode generates one into DATA_DIR)',
    );
    const withoutKey = { eventStore: SQLITE, readModel: MONGODB, authSecret: BOTH_SECRETS.authSecret, channelSecretsKey: undefined };
    expect(problemOf(() => assertSharedSecretsConfigured(withoutKey, ['AUTH_SECRET', 'CHANNEL_SECRETS_KEY']))).toMatch(
      /^CHANNEL_SECRETS_KEY must be set with READ_MODEL=mongodb:/,
    );
    expect(
      problemOf(() => assertSharedSecretsConfigured({ eventStore: ESDB, readModel: MONGODB, ...NO_SECRETS }, ['AUTH_SECRET'])),
    ).toMatch(/^AUTH_SECRET must be set with EVENT_STORE=esdb and READ_MODEL=mongodb:/);
  });

  it('asks only for the secrets the caller needs, and accepts them configured', () => {
    const withoutKey = { eventStore: ESDB, readModel: MONGODB, authSecret: BOTH_SECRETS.authSecret, channelSecretsKey: undefined };
    expect(problemOf(() => assertSharedSecretsConfigured(withoutKey, ['AUTH_SECRET']))).toBeUndefined();
    expect(
      problemOf(() =>
        assertSharedSecretsConfigured({ eventStore: ESDB, readModel: MONGODB, ...BOTH_SECRETS }, ['AUTH_SECRET', 'CHANNEL_SECRETS_KEY']),
      ),
    ).toBeUndefined();
  });
});
