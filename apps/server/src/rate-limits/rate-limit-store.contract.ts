import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';

/** How the plugin is given the store under test: none for the library's own, in memory. */
export interface RateLimitStoreUnderTest {
  store?: FastifyRateLimitStoreCtor;
  dispose(): Promise<void>;
}

interface LimitAnswer {
  isAllowed: boolean;
  remaining: number;
  ttl: number;
  ttlInSeconds: number;
  isExceeded: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One limit of `max` requests per `timeWindow` ms, created the way the server creates its limits
 * (`createRateLimit` on a plugin given the store), counting or only reading a key per request.
 */
const limitOn = async (store: FastifyRateLimitStoreCtor | undefined, max: number, timeWindow: number) => {
  const app: FastifyInstance = Fastify();
  await app.register(fastifyRateLimit, { global: false, ...(store ? { store } : {}) });
  const limiter = app.createRateLimit({ max, timeWindow, keyGenerator: (request) => String(request.headers['x-key']) });
  app.get('/count', (request) => limiter(request));
  app.get('/read', (request) => limiter(request, { increment: false }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const ask = async (path: string, key: string): Promise<LimitAnswer> =>
    (await fetch(`${address}${path}`, { headers: { 'x-key': key } })).json() as Promise<LimitAnswer>;
  return {
    count: (key: string) => ask('/count', key),
    read: (key: string) => ask('/read', key),
    close: () => app.close(),
  };
};

/** Every store the server can count in behaves as the library's own does: one set of cases for all. */
export const describeRateLimitStoreContract = (name: string, open: () => Promise<RateLimitStoreUnderTest>): void => {
  describe(`${name} as a @fastify/rate-limit store`, () => {
    let underTest: RateLimitStoreUnderTest;
    const opened: { close(): Promise<void> }[] = [];
    const limit = async (max: number, timeWindow: number) => {
      const created = await limitOn(underTest.store, max, timeWindow);
      opened.push(created);
      return created;
    };

    beforeAll(async () => {
      underTest = await open();
    });

    afterAll(async () => {
      await Promise.all(opened.map((created) => created.close()));
      await underTest.dispose();
    });

    it('lets max requests of a key through in a window and refuses the next, with the time left', async () => {
      const { count } = await limit(3, 60_000);
      const key = randomUUID();

      const answers = [await count(key), await count(key), await count(key), await count(key)];

      expect(answers.map(({ remaining, isExceeded }) => ({ remaining, isExceeded }))).toEqual([
        { remaining: 2, isExceeded: false },
        { remaining: 1, isExceeded: false },
        { remaining: 0, isExceeded: false },
        { remaining: 0, isExceeded: true },
      ]);
      expect(answers[0].ttl).toBeGreaterThan(59_000);
      expect(answers[3].ttl).toBeLessThanOrEqual(60_000);
      expect(answers[3].ttlInSeconds).toBe(60);
    });

    it('counts each key apart', async () => {
      const { count } = await limit(1, 60_000);
      const [busy, other] = [randomUUID(), randomUUID()];
      await count(busy);

      expect((await count(busy)).isExceeded).toBe(true);
      expect(await count(other)).toMatchObject({ remaining: 0, isExceeded: false });
    });

    it('opens a new window, counting from one, once the window has closed', async () => {
      const { count } = await limit(1, 400);
      const key = randomUUID();
      await count(key);
      expect((await count(key)).isExceeded).toBe(true);

      await pause(500);

      const afresh = await count(key);
      expect(afresh).toMatchObject({ remaining: 0, isExceeded: false });
      expect(afresh.ttl).toBeGreaterThan(200);
    });

    it('keeps the window from its first request: later requests do not extend it', async () => {
      const { count } = await limit(5, 1000);
      const key = randomUUID();
      const first = await count(key);

      await pause(300);

      expect((await count(key)).ttl).toBeLessThanOrEqual(first.ttl - 250);
    });

    it('reads the count without counting', async () => {
      const { count, read } = await limit(3, 60_000);
      const key = randomUUID();

      expect(await read(key)).toMatchObject({ remaining: 3, isExceeded: false });
      await count(key);
      await count(key);
      expect(await read(key)).toMatchObject({ remaining: 1, isExceeded: false });
      expect(await read(key)).toMatchObject({ remaining: 1, isExceeded: false });
      expect(await count(key)).toMatchObject({ remaining: 0, isExceeded: false });
    });

    it('reads a closed window as empty', async () => {
      const { count, read } = await limit(2, 300);
      const key = randomUUID();
      await count(key);
      await count(key);

      await pause(400);

      expect(await read(key)).toMatchObject({ remaining: 2, isExceeded: false });
    });
  });
};
