import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';
import { resolveAuthSecret } from './auth-secret.js';
import { DEFAULT_RATE_LIMITS } from './rate-limits.config.js';

describe('loadConfig', () => {
  it('defaults to the embedded stores on port 3000 under ./data', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('data'),
      authSecret: undefined,
      authMaxTokenTtlSeconds: 86_400,
      eventStore: { kind: 'sqlite' },
      readModel: { kind: 'sqlite' },
      roles: new Set(['api', 'projections', 'engine']),
      logLevel: 'log',
      aiAgent: undefined,
      channelSecretsKey: undefined,
      webchatAllowedOrigins: '*',
      channelPrivateAddresses: 'refuse',
      rateLimits: DEFAULT_RATE_LIMITS,
      sessionCaps: { maxOpenSessionsPerChannel: 10_000 },
      shutdownTimeoutMs: 10_000,
    });
  });

  it('listens where HOST says, an IP address or localhost, and names HOST for anything else', () => {
    for (const host of ['127.0.0.1', '::1', '::', 'localhost', '10.1.2.3']) expect(loadConfig({ HOST: host }).host).toBe(host);
    for (const wrong of ['my host', 'example.com', '300.1.1.1', 'http://localhost']) {
      expect(() => loadConfig({ HOST: wrong })).toThrow(
        `HOST must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only) or localhost; got "${wrong}"`,
      );
    }
  });

  it('takes the longest token lifetime the server accepts from AUTH_MAX_TOKEN_TTL, in seconds', () => {
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '3600' }).authMaxTokenTtlSeconds).toBe(3600);
    for (const wrong of ['0', '-5', '1.5', '12h', 'soon']) {
      expect(() => loadConfig({ AUTH_MAX_TOKEN_TTL: wrong })).toThrow(
        `AUTH_MAX_TOKEN_TTL must be a positive whole number of seconds; got "${wrong}"`,
      );
    }
  });

  it('takes the sites allowed to call the web chat endpoints from WEBCHAT_ALLOWED_ORIGINS', () => {
    expect(loadConfig({ WEBCHAT_ALLOWED_ORIGINS: ' https://shop.example, http://localhost:8080 ,' }).webchatAllowedOrigins).toEqual([
      'https://shop.example',
      'http://localhost:8080',
    ]);
    expect(loadConfig({ WEBCHAT_ALLOWED_ORIGINS: '*' }).webchatAllowedOrigins).toBe('*');
  });

  it('lets channels call private addresses only with CHANNEL_PRIVATE_ADDRESSES=allow', () => {
    expect(loadConfig({ CHANNEL_PRIVATE_ADDRESSES: 'allow' }).channelPrivateAddresses).toBe('allow');
    expect(loadConfig({ CHANNEL_PRIVATE_ADDRESSES: 'refuse' }).channelPrivateAddresses).toBe('refuse');
  });

  it('configures the AI agent from AI_AGENT_*', () => {
    const config = loadConfig({ AI_AGENT_URL: 'http://127.0.0.1:9/v1', AI_AGENT_API_KEY: 'sk-test', AI_AGENT_MODEL: 'small' });
    expect(config.aiAgent).toMatchObject({ url: 'http://127.0.0.1:9/v1', apiKey: 'sk-test', model: 'small' });
  });

  it('selects EventStoreDB and MongoDB with their addresses', () => {
    const config = loadConfig({
      EVENT_STORE: 'esdb',
      ESDB_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      READ_MODEL: 'mongodb',
      MONGODB_URI: 'mongodb://localhost:27017/workflows?replicaSet=rs0',
    });
    expect(config.eventStore).toEqual({ kind: 'esdb', connectionString: 'esdb://localhost:2113?tls=false' });
    expect(config.readModel).toEqual({ kind: 'mongodb', uri: 'mongodb://localhost:27017/workflows?replicaSet=rs0' });
  });

  it('takes roles from --roles over ROLES', () => {
    expect(loadConfig({ ROLES: 'projections' }).roles).toEqual(new Set(['projections']));
    expect(loadConfig({ ROLES: 'projections' }, 'api, engine').roles).toEqual(new Set(['api', 'engine']));
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ EVENT_STORE: 'postgres' }, 'EVENT_STORE'],
    [{ READ_MODEL: 'redis' }, 'READ_MODEL'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
    [{ EVENT_STORE: 'esdb' }, 'ESDB_CONNECTION_STRING'],
    [{ READ_MODEL: 'mongodb', MONGODB_URI: ' ' }, 'MONGODB_URI'],
    [{ ROLES: 'api,web' }, 'ROLES'],
    [{ ROLES: ',' }, 'ROLES'],
    [{ AI_AGENT_URL: 'ftp://agent' }, 'AI_AGENT_URL'],
    [{ CHANNEL_SECRETS_KEY: 'too-short' }, 'CHANNEL_SECRETS_KEY'],
    [{ AI_AGENT_URL: 'http://agent', AI_AGENT_TIMEOUT_MS: 'soon' }, 'AI_AGENT_TIMEOUT_MS'],
    [{ WEBCHAT_ALLOWED_ORIGINS: 'https://shop.example/chat' }, 'WEBCHAT_ALLOWED_ORIGINS'],
    [{ WEBCHAT_ALLOWED_ORIGINS: 'shop.example' }, 'WEBCHAT_ALLOWED_ORIGINS'],
    [{ CHANNEL_PRIVATE_ADDRESSES: 'yes' }, 'CHANNEL_PRIVATE_ADDRESSES'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('resolveAuthSecret', () => {
  it('uses a configured secret and otherwise generates one once into the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-'));
    try {
      expect(resolveAuthSecret('configured-secret', dir)).toEqual({ secret: 'configured-secret', generated: false });
      const first = resolveAuthSecret(undefined, dir);
      expect(first.generated).toBe(true);
      expect(first.secret.length).toBeGreaterThanOrEqual(32);
      expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
      expect(resolveAuthSecret(undefined, dir)).toEqual({ secret: first.secret, generated: false });
      expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(first.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
