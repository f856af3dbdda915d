import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

/** The abuse limits, each counting its own kind of request under its own key (see the README's "Abuse limits"). */
export type RateLimitName = 'webchatContact' | 'webchatAddress' | 'channelInbound' | 'token' | 'refusedSignIns';

/** At most `max` requests in a window of `windowMs`, the window opening at the first of them. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Where the counts live: this process's memory, or a MongoDB collection every server process shares. */
export type RateLimitStoreConfig = { kind: 'memory' } | { kind: 'mongodb'; uri: string };

/**
 * Which proxies in front of the server may name the client in `X-Forwarded-For`: none (the
 * connection's peer is the client), the nearest `hops` of them, or those addresses and ranges.
 */
export type TrustedProxies = false | number | readonly string[];

export interface RateLimitsConfig {
  /** False with RATE_LIMITS=off: nothing is counted or refused (load tests). */
  enabled: boolean;
  store: RateLimitStoreConfig;
  limits: Record<RateLimitName, RateLimit | 'unlimited'>;
  trustProxy: TrustedProxies;
}

const MINUTE_MS = 60_000;

/** What each limit counts, its variable and its default: far above what a person or a normal integration does. */
export const RATE_LIMIT_VARIABLES: Record<RateLimitName, { variable: string; default: RateLimit }> = {
  webchatContact: { variable: 'RATE_LIMIT_WEBCHAT_CONTACT', default: { max: 60, windowMs: MINUTE_MS } },
  webchatAddress: { variable: 'RATE_LIMIT_WEBCHAT_ADDRESS', default: { max: 300, windowMs: MINUTE_MS } },
  channelInbound: { variable: 'RATE_LIMIT_CHANNEL_INBOUND', default: { max: 3000, windowMs: MINUTE_MS } },
  token: { variable: 'RATE_LIMIT_TOKEN', default: { max: 1200, windowMs: MINUTE_MS } },
  refusedSignIns: { variable: 'RATE_LIMIT_REFUSED_SIGN_INS', default: { max: 30, windowMs: MINUTE_MS } },
};

const RATE_LIMIT_NAMES = Object.keys(RATE_LIMIT_VARIABLES) as RateLimitName[];

const defaultLimits = (): Record<RateLimitName, RateLimit> =>
  Object.fromEntries(RATE_LIMIT_NAMES.map((name) => [name, RATE_LIMIT_VARIABLES[name].default])) as Record<RateLimitName, RateLimit>;

/** What a configuration built without the environment (a test's) limits with. */
export const DEFAULT_RATE_LIMITS: RateLimitsConfig = {
  enabled: true,
  store: { kind: 'memory' },
  limits: defaultLimits(),
  trustProxy: false,
};

/** Nothing counted: for measuring throughput, where every request comes from one address. */
export const RATE_LIMITS_OFF: RateLimitsConfig = { ...DEFAULT_RATE_LIMITS, enabled: false };

const WINDOW_UNITS_MS: Record<string, number> = { s: 1000, min: MINUTE_MS, h: 60 * MINUTE_MS };
// Far beyond any sensible limit, and small enough that counts stay exact.
const MAX_COUNT = 1_000_000_000;

/** `60`, `60/min`, `10/s`, `5000/h`, `100/10s` (a count per window; a bare count is per minute), or `unlimited`. */
export const parseRateLimit = (variable: string, value: string): RateLimit | 'unlimited' => {
  const text = value.trim();
  if (text === 'unlimited') return 'unlimited';
  const match = /^(\d+)(?:\s*\/\s*(\d*)\s*(s|min|h))?$/.exec(text);
  const wrong = (why: string) =>
    new ConfigError(`${variable} must be a count per window such as 60/min, 10/s, 100/10s or 5000/h, or unlimited; ${why}`);
  if (!match) throw wrong(`got "${value}"`);
  const [, count, windows, unit] = match;
  const max = Number(count);
  if (max === 0) throw wrong('0 would refuse every request: write unlimited for no limit');
  if (max > MAX_COUNT) throw wrong(`${count} is more than ${MAX_COUNT}`);
  const windowCount = windows ? Number(windows) : 1;
  if (windowCount === 0) throw wrong(`a window of 0${unit} never lets a request through; got "${value}"`);
  return { max, windowMs: windowCount * WINDOW_UNITS_MS[unit ?? 'min'] };
};

const parseSwitch = (value: string | undefined): boolean => {
  const text = value?.trim() || 'on';
  if (text === 'on' || text === 'off') return text === 'on';
  throw new ConfigError(`RATE_LIMITS must be on or off; got "${value}"`);
};

/** Shared in MongoDB by default when the read models are there: a deployment of several processes counts once. */
const parseStore = (env: NodeJS.ProcessEnv): RateLimitStoreConfig => {
  const kind = env.RATE_LIMIT_STORE?.trim() || (env.READ_MODEL?.trim() === 'mongodb' ? 'mongodb' : 'memory');
  if (kind === 'memory') return { kind };
  if (kind !== 'mongodb') throw new ConfigError(`RATE_LIMIT_STORE must be one of memory, mongodb; got "${env.RATE_LIMIT_STORE}"`);
  const uri = env.MONGODB_URI?.trim();
  if (!uri) throw new ConfigError('MONGODB_URI is required when RATE_LIMIT_STORE=mongodb');
  return { kind, uri };
};

const isAddressOrRange = (entry: string): boolean => {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
};

/** TRUST_PROXY: unset (no proxy), a number of proxy hops, or the proxies' addresses and ranges, comma separated. */
export const parseTrustedProxies = (value: string | undefined): TrustedProxies => {
  const text = value?.trim() ?? '';
  if (text === '') return false;
  if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Number(text);
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const wrong = entries.find((entry) => !isAddressOrRange(entry));
  if (wrong !== undefined || entries.length === 0) {
    throw new ConfigError(
      `TRUST_PROXY must be a number of proxy hops or the proxies' addresses and ranges, such as 10.0.0.0/8, ::1; got "${wrong ?? value}"`,
    );
  }
  return entries;
};

/** The abuse limits from RATE_LIMITS, RATE_LIMIT_STORE, the RATE_LIMIT_* counts and TRUST_PROXY; a wrong value names its variable. */
export const loadRateLimitsConfig = (env: NodeJS.ProcessEnv): RateLimitsConfig => ({
  enabled: parseSwitch(env.RATE_LIMITS),
  store: parseStore(env),
  limits: Object.fromEntries(
    RATE_LIMIT_NAMES.map((name) => {
      const { variable, default: fallback } = RATE_LIMIT_VARIABLES[name];
      const value = env[variable];
      return [name, value === undefined || value.trim() === '' ? fallback : parseRateLimit(variable, value)];
    }),
  ) as RateLimitsConfig['limits'],
  trustProxy: parseTrustedProxies(env.TRUST_PROXY),
});
