import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type Collection, MongoClient } from 'mongodb';
import { redactConnectionString } from '#eventstore';
import { StorageUnavailableError } from '#platform';
import { databaseNamedIn } from '#readmodel';

/** One key's window: how many requests it counted and when it closes. */
export interface RateLimitCounter {
  _id: string;
  hits: number;
  expiresAt: Date;
  /** The server's clock at the last count, so the time left is measured on one clock whichever process asks. */
  countedAt: Date;
}

export const RATE_LIMIT_COUNTERS_COLLECTION = 'rate_limit_counters';
const DEFAULT_DATABASE = 'workflows';
/** How long to look for a usable server at start before giving up, as the read models do. */
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * One count of `key`, atomically on the server: a window still open counts one more, a closed or
 * missing one opens anew at 1 — the library's in-memory store does the same, so both behave alike.
 * The server's clock (`$$NOW`) decides, so processes whose clocks differ still share one window.
 */
const countHit = (timeWindowMs: number) => [
  { $set: { open: { $gt: ['$expiresAt', '$$NOW'] } } },
  {
    $set: {
      hits: { $cond: ['$open', { $add: ['$hits', 1] }, 1] },
      expiresAt: { $cond: ['$open', '$expiresAt', { $add: ['$$NOW', timeWindowMs] }] },
      countedAt: '$$NOW',
    },
  },
  { $unset: 'open' },
];

/**
 * The `@fastify/rate-limit` store class over one MongoDB collection, for deployments of several
 * server processes: they all count in it. Each limit's keys carry the limit's name, so every
 * route's store (`child`) is this same one. A TTL index removes windows once they have closed.
 */
export const mongoRateLimitStore = (counters: Collection<RateLimitCounter>): FastifyRateLimitStoreCtor =>
  class MongoRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: Counted, timeWindow: number): void {
      counters
        .findOneAndUpdate({ _id: key }, countHit(timeWindow), { upsert: true, returnDocument: 'after' })
        .then((counter) => {
          if (counter === null) throw new Error(`Counting ${key} returned no window`);
          callback(null, { current: counter.hits, ttl: counter.expiresAt.getTime() - counter.countedAt.getTime() });
        })
        .catch((error: Error) => callback(error));
    }

    /** The count so far without counting (`{ increment: false }`): 0 once the window has closed. */
    read(key: string, callback: Counted): void {
      counters
        .aggregate<{ hits: number; ttl: number }>([
          { $match: { _id: key } },
          { $project: { hits: 1, ttl: { $subtract: ['$expiresAt', '$$NOW'] } } },
        ])
        .toArray()
        .then(([counter]) =>
          callback(null, counter && counter.ttl > 0 ? { current: counter.hits, ttl: counter.ttl } : { current: 0, ttl: 0 }),
        )
        .catch((error: Error) => callback(error));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };

export interface MongoRateLimitCounters {
  counters: Collection<RateLimitCounter>;
  close: () => Promise<void>;
}

/**
 * Connects to the counters' collection (in the database the connection string names, as the read
 * models do) and makes sure of its TTL index; an unreachable server fails the start, naming it.
 */
export const connectRateLimitCounters = async (
  uri: string,
  { database = databaseNamedIn(uri) ?? DEFAULT_DATABASE, startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS } = {},
): Promise<MongoRateLimitCounters> => {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: startupTimeoutMs });
  try {
    await client.connect();
    const counters = client.db(database).collection<RateLimitCounter>(RATE_LIMIT_COUNTERS_COLLECTION);
    await counters.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    return { counters, close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageUnavailableError(`MongoDB at ${redactConnectionString(uri)} is unreachable for the rate limits' counters: ${reason}`);
  }
};
