import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { StorageUnavailableError } from '#platform';
import { closedPort } from '../../../../test/support/test-server.js';
import { type MongoRateLimitCounters, connectRateLimitCounters, mongoRateLimitStore } from './mongodb-rate-limit.store.js';
import { describeRateLimitStoreContract } from './rate-limit-store.contract.js';

const mongodbUri = process.env.MONGODB_URI ?? '';
if (!mongodbUri) {
  console.log(
    'Skipping the MongoDB rate-limit store suite: MONGODB_URI is not set (docker compose -f docker/docker-compose.yml up starts one)',
  );
}

/** The counters in a database of their own, dropped afterwards, so tests never touch real data. */
const temporaryCounters = async (): Promise<MongoRateLimitCounters & { dispose: () => Promise<void> }> => {
  const database = `ratelimits_test_${randomUUID().replaceAll('-', '')}`;
  const opened = await connectRateLimitCounters(mongodbUri, { database });
  return {
    ...opened,
    dispose: async () => {
      const client = await new MongoClient(mongodbUri).connect();
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
        await opened.close();
      }
    },
  };
};

(mongodbUri ? describe : describe.skip)('The MongoDB rate-limit store on MONGODB_URI', () => {
  describeRateLimitStoreContract('The MongoDB store', async () => {
    const { counters, dispose } = await temporaryCounters();
    return { store: mongoRateLimitStore(counters), dispose };
  });

  describe('shared by several server processes', () => {
    let temporary: Awaited<ReturnType<typeof temporaryCounters>>;

    beforeAll(async () => {
      temporary = await temporaryCounters();
    });

    afterAll(async () => {
      await temporary.dispose();
    });

    it('counts one window per key whichever process counts, many at once', async () => {
      const [first, second] = [mongoRateLimitStore(temporary.counters), mongoRateLimitStore(temporary.counters)].map(
        (Store) => new Store({}),
      );
      const key = `test|${randomUUID()}`;
      const count = (store: typeof first) =>
        new Promise<{ current: number; ttl: number }>((resolve, reject) =>
          store.incr(key, (error, result) => (error || !result ? reject(error ?? new Error('no result')) : resolve(result)), 60_000, 100),
        );

      const counts = await Promise.all(Array.from({ length: 20 }, (_, index) => count(index % 2 === 0 ? first : second)));

      expect(counts.map(({ current }) => current).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(await temporary.counters.countDocuments({ _id: key })).toBe(1);
    });

    it('has the database remove a window once it has closed (a TTL index on expiresAt)', async () => {
      const indexes = await temporary.counters.indexes();
      expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    });
  });
});

describe('connectRateLimitCounters', () => {
  it('fails the start, naming MongoDB and its address without the password, when nothing answers there', async () => {
    const uri = `mongodb://counter:s3cret@127.0.0.1:${await closedPort()}/?directConnection=true`;

    const error = await connectRateLimitCounters(uri, { startupTimeoutMs: 500 }).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(
      /^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/\?directConnection=true is unreachable for the rate limits' counters: /,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });
});
