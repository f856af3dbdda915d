import { resolve } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface AppConfig {
  port: number;
  dataDir: string;
  /** Undefined in embedded mode until one is generated into DATA_DIR. */
  authSecret: string | undefined;
  eventStore: 'sqlite';
  readModel: 'sqlite';
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const MIN_SECRET_LENGTH = 32;

const oneOf = <T extends string>(name: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
};

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(`PORT must be a whole number from 0 to 65535; got "${value}"`);
  return port;
};

/** Reads the environment once at start; a wrong value stops the server with a message naming it. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const authSecret = env.AUTH_SECRET || undefined;
  if (authSecret !== undefined && authSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  const eventStore = oneOf('EVENT_STORE', env.EVENT_STORE || 'sqlite', ['sqlite', 'esdb']);
  const readModel = oneOf('READ_MODEL', env.READ_MODEL || 'sqlite', ['sqlite', 'mongodb']);
  if (eventStore !== 'sqlite' || readModel !== 'sqlite') {
    throw new ConfigError('EVENT_STORE=esdb and READ_MODEL=mongodb are not available in this build yet; use sqlite');
  }
  return {
    port: parsePort(env.PORT || '3000'),
    dataDir: resolve(env.DATA_DIR || './data'),
    authSecret,
    eventStore,
    readModel,
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL || 'log', LOG_LEVELS),
  };
};

/** Nest logs every level up to and including the configured one. */
export const enabledLogLevels = (level: LogLevel): LogLevel[] => LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
