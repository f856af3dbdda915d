import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS } from '../auth/jwt.js';
import {
  type AiAgentConfig,
  CHANNEL_PRIVATE_ADDRESSES_SETTINGS,
  type ChannelPrivateAddresses,
  SecretBox,
  loadAiAgentConfig,
} from '#channels';
import type { SessionCaps } from '#engine';
import { ConfigError } from './config-error.js';
import { type LogFormat, logFormat } from './log-format.js';
import { metricsToken } from './metrics.config.js';
import { shutdownTimeoutMs } from './shutdown.config.js';
import { type RateLimitsConfig, loadRateLimitsConfig } from './rate-limits.config.js';
import { sessionCapsConfig } from './session-caps.config.js';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** What one server process does; a deployment spreads them over processes to scale out. */
export type ServerRole = 'api' | 'projections' | 'engine';
export const SERVER_ROLES: readonly ServerRole[] = ['api', 'projections', 'engine'];

/** Which sites may call the public web chat endpoints from their pages: any, or these origins. */
export type WebchatOrigins = '*' | readonly string[];

export type EventStoreConfig = { kind: 'sqlite' } | { kind: 'esdb'; connectionString: string };
export type ReadModelConfig = { kind: 'sqlite' } | { kind: 'mongodb'; uri: string };

export interface AppConfig {
  port: number;
  /** The address the server listens on (HOST): every interface by default, as a container needs. */
  host: string;
  dataDir: string;
  /** Undefined in embedded mode until one is generated into DATA_DIR. */
  authSecret: string | undefined;
  /** The longest lifetime of a token the server accepts, in seconds (AUTH_MAX_TOKEN_TTL); undefined: 24 h. */
  authMaxTokenTtlSeconds?: number;
  eventStore: EventStoreConfig;
  readModel: ReadModelConfig;
  roles: ReadonlySet<ServerRole>;
  logLevel: LogLevel;
  /** LOG_FORMAT; undefined: pretty lines on a terminal, JSON anywhere else. */
  logFormat?: LogFormat;
  /** Undefined when AI_AGENT_URL is not set: AI agent steps then hand over to their team. */
  aiAgent: AiAgentConfig | undefined;
  /** Seals channel secrets in the log; undefined in embedded mode until one is generated into DATA_DIR. */
  channelSecretsKey: string | undefined;
  /** The built console's folder (CONSOLE_DIR); undefined: `dist/admin` of this package. */
  consoleDir?: string;
  /** Sites whose pages may call the web chat endpoints (WEBCHAT_ALLOWED_ORIGINS); undefined: any. */
  webchatAllowedOrigins?: WebchatOrigins;
  /** How long a SIGTERM or SIGINT may take before the process exits anyway (SHUTDOWN_TIMEOUT_MS); undefined: 10 s. */
  shutdownTimeoutMs?: number;
  /** The abuse limits (RATE_LIMITS, RATE_LIMIT_*, TRUST_PROXY); undefined: the defaults, counted in memory. */
  rateLimits?: RateLimitsConfig;
  /** The bearer token GET /metrics requires (METRICS_TOKEN); undefined: /metrics is open. */
  metricsToken?: string;
  /** Whether channels' own URLs may reach private addresses (CHANNEL_PRIVATE_ADDRESSES); undefined: refused. */
  channelPrivateAddresses?: ChannelPrivateAddresses;
  /** How many sessions one channel may have open at once (MAX_OPEN_SESSIONS_PER_CHANNEL); undefined: 10,000. */
  sessionCaps?: SessionCaps;
}

export { ConfigError };

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const MIN_SECRET_LENGTH = 32;

const oneOf = <T extends string>(name: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
};

const required = (env: NodeJS.ProcessEnv, name: string, because: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is required ${because}`);
  return value;
};

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(`PORT must be a whole number from 0 to 65535; got "${value}"`);
  return port;
};

const parseHost = (value: string): string => {
  const host = value.trim();
  if (host === 'localhost' || isIP(host) !== 0) return host;
  throw new ConfigError(
    `HOST must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only) or localhost; got "${value}"`,
  );
};

const authMaxTokenTtlSeconds = (value: string | undefined): number => {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_TOKEN_TTL_SECONDS;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds <= 0) {
    throw new ConfigError(`AUTH_MAX_TOKEN_TTL must be a positive whole number of seconds; got "${value}"`);
  }
  return seconds;
};

/** `api,projections` → the set of roles; every name must be known and at least one given. */
export const parseRoles = (value: string, source: string): ReadonlySet<ServerRole> => {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new ConfigError(`${source} must name at least one of ${SERVER_ROLES.join(', ')}`);
  return new Set(names.map((name) => oneOf(source, name, SERVER_ROLES)));
};

const eventStoreConfig = (env: NodeJS.ProcessEnv): EventStoreConfig =>
  oneOf('EVENT_STORE', env.EVENT_STORE || 'sqlite', ['sqlite', 'esdb']) === 'esdb'
    ? { kind: 'esdb', connectionString: required(env, 'ESDB_CONNECTION_STRING', 'when EVENT_STORE=esdb') }
    : { kind: 'sqlite' };

const readModelConfig = (env: NodeJS.ProcessEnv): ReadModelConfig =>
  oneOf('READ_MODEL', env.READ_MODEL || 'sqlite', ['sqlite', 'mongodb']) === 'mongodb'
    ? { kind: 'mongodb', uri: required(env, 'MONGODB_URI', 'when READ_MODEL=mongodb') }
    : { kind: 'sqlite' };

const aiAgentConfig = (env: NodeJS.ProcessEnv): AiAgentConfig | undefined => {
  try {
    return loadAiAgentConfig(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
};

const channelSecretsKey = (env: NodeJS.ProcessEnv): string | undefined => {
  const key = env.CHANNEL_SECRETS_KEY?.trim() || undefined;
  if (key === undefined) return undefined;
  try {
    SecretBox.fromBase64Key(key);
  } catch (error) {
    throw new ConfigError(`CHANNEL_SECRETS_KEY: ${(error as Error).message}`);
  }
  return key;
};

/** `https://shop.example, https://www.shop.example` → those origins; unset or `*` → any origin. */
const webchatAllowedOrigins = (env: NodeJS.ProcessEnv): WebchatOrigins => {
  const value = env.WEBCHAT_ALLOWED_ORIGINS?.trim() || '*';
  if (value === '*') return '*';
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
    .map((origin) => {
      if (URL.canParse(origin) && new URL(origin).origin === origin) return origin;
      throw new ConfigError(
        `WEBCHAT_ALLOWED_ORIGINS must list origins like https://shop.example (scheme, host, optional port; no path); got "${origin}"`,
      );
    });
};

/**
 * Reads the environment once at start; a wrong value stops the server with a message naming it.
 * `roles` (from `--roles`) wins over the ROLES variable; both default to every role.
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env, roles?: string): AppConfig => {
  const authSecret = env.AUTH_SECRET || undefined;
  if (authSecret !== undefined && authSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  return {
    port: parsePort(env.PORT || '3000'),
    host: parseHost(env.HOST || '0.0.0.0'),
    dataDir: resolve(env.DATA_DIR || './data'),
    authSecret,
    authMaxTokenTtlSeconds: authMaxTokenTtlSeconds(env.AUTH_MAX_TOKEN_TTL),
    eventStore: eventStoreConfig(env),
    readModel: readModelConfig(env),
    roles: roles !== undefined ? parseRoles(roles, '--roles') : env.ROLES ? parseRoles(env.ROLES, 'ROLES') : new Set(SERVER_ROLES),
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL || 'log', LOG_LEVELS),
    logFormat: logFormat(env.LOG_FORMAT),
    aiAgent: aiAgentConfig(env),
    channelSecretsKey: channelSecretsKey(env),
    consoleDir: env.CONSOLE_DIR ? resolve(env.CONSOLE_DIR) : undefined,
    webchatAllowedOrigins: webchatAllowedOrigins(env),
    channelPrivateAddresses: oneOf(
      'CHANNEL_PRIVATE_ADDRESSES',
      env.CHANNEL_PRIVATE_ADDRESSES || 'refuse',
      CHANNEL_PRIVATE_ADDRESSES_SETTINGS,
    ),
    shutdownTimeoutMs: shutdownTimeoutMs(env.SHUTDOWN_TIMEOUT_MS),
    rateLimits: loadRateLimitsConfig(env),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    sessionCaps: sessionCapsConfig(env),
  };
};
