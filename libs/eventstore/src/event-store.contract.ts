import { randomUUID } from 'node:crypto';
import {
  InvalidPositionError,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port.js';
import { eventHash, storedHash, verifyHashChains } from './hash-chain.js';
import type { EventStoreLogger } from './skipped-records.log.js';

/** An opened store, and what a test may do to its log behind the port's back. */
export interface OpenedEventStore {
  store: EventStore;
  dispose: () => Promise<void>;
  /**
   * Test-only: writes records to the log as another tool writing to the same backend would
   * (binary or non-object data, no metadata, …), one stream of them; returns their ids.
   */
  appendForeignRecords: (streamName: string) => Promise<string[]>;
}

/** Text the foreign records carry in their data, which no log line may repeat. */
export const FOREIGN_RECORD_TEXT = 'written by another tool';

/** Opens a store that reports what it skips to `logger`. */
export type OpenEventStore = (options: { logger: EventStoreLogger }) => Promise<OpenedEventStore>;

/** A valid event with a fresh id; pass `overrides` to pin the id or the metadata. */
export function eventFixture(type = 'SomethingHappened', data: Record<string, unknown> = {}, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { sub: 'contract-test', role: 'admin' },
      occurredAt: new Date().toISOString(),
      workspace: 'default',
    },
    ...overrides,
  };
}

/** Settles like `promise`, or rejects once `ms` have passed: for "promptly" without hanging the run. */
export async function settleWithin<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A real server's log is shared by every test, so each test writes to streams of its own. */
function newStreamName(): string {
  return `contract-${randomUUID()}`;
}

/** Every event of the stream, read in order, links to the one before it and matches its own hash. */
function expectChained(streamName: string, events: readonly RecordedEvent[]): void {
  expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => index));
  expect(events.map((event) => event.metadata.previousHash)).toEqual(['', ...events.slice(0, -1).map(storedHash)]);
  for (const event of events) {
    expect(event.metadata.hash).toBe(eventHash(String(event.metadata.previousHash), streamName, event.revision, event));
  }
}

/** The server may hand ids back in another case than they were given. */
const idsOf = (events: readonly NewEvent[]): string[] => events.map((event) => event.id.toLowerCase());

/** Pulls events until `count` of them match; returns every event pulled on the way. */
async function pullUntil(
  events: AsyncIterator<RecordedEvent>,
  count: number,
  matches: (event: RecordedEvent) => boolean,
): Promise<RecordedEvent[]> {
  const pulled: RecordedEvent[] = [];
  while (pulled.filter(matches).length < count) {
    const next = await events.next();
    if (next.done) throw new Error(`The subscription ended after ${pulled.length} events`);
    pulled.push(next.value);
  }
  return pulled;
}

/**
 * The behaviour every EventStore adapter must show. It uses the port only and never assumes an
 * empty log: positions are taken relative to what the test itself appended.
 */
export function describeEventStoreContract(adapterName: string, openStore: OpenEventStore): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let appendForeignRecords: OpenedEventStore['appendForeignRecords'];
    let warnings: string[];

    beforeEach(async () => {
      warnings = [];
      ({ store, dispose, appendForeignRecords } = await openStore({ logger: { warn: (message) => warnings.push(message) } }));
    });

    afterEach(async () => {
      await dispose();
    });

    const isAfter = (position: string, start: string | undefined): boolean =>
      start === undefined || store.comparePositions(position, start) > 0;

    const expectStrictlyIncreasing = (events: readonly RecordedEvent[]): void => {
      for (let i = 1; i < events.length; i++) {
        expect(store.comparePositions(events[i - 1].position, events[i].position)).toBeLessThan(0);
      }
    };

    describe('appending and reading a stream', () => {
      it('links every event of a stream to the one before it in a hash chain', async () => {
        const streamName = newStreamName();
        await store.appendToStream(streamName, [eventFixture('A', { n: 1 }), eventFixture('B', { n: 2 })], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(streamName, [eventFixture('C', { n: 3 })], { expectedRevision: 1 });
        await store.appendToStream(streamName, [eventFixture('D', { n: 4 })], { expectedRevision: 'any' });
        const events = await store.readStream(streamName);
        expectChained(streamName, events);
        expect(new Set(events.map(storedHash)).size).toBe(4);
      });

      it('appends to a new stream and reads the events back with their revisions', async () => {
        const streamName = newStreamName();
        const opened = eventFixture('AccountOpened', { owner: 'Ada', limits: { daily: 100 } });
        const renamed = eventFixture('AccountRenamed', { owner: 'Ada L.' });
        const startedAt = Date.now();

        const result = await store.appendToStream(streamName, [opened, renamed], { expectedRevision: 'no_stream' });
        const events = await store.readStream(streamName);

        expect(result.nextExpectedRevision).toBe(1);
        expect(events).toMatchObject([
          { ...opened, streamName, revision: 0 },
          { ...renamed, streamName, revision: 1, position: result.position },
        ]);
        for (const event of events) {
          const recordedAt = Date.parse(event.recordedAt);
          expect(new Date(recordedAt).toISOString()).toBe(event.recordedAt);
          expect(recordedAt).toBeGreaterThanOrEqual(startedAt - 1000);
          expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1000);
        }
        expectStrictlyIncreasing(events);
      });

      it('rejects no_stream when the stream already exists', async () => {
        const streamName = newStreamName();
        await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'no_stream' });

        await expect(store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await store.readStream(streamName)).toHaveLength(1);
      });

      it('appends at the revision of the last event and rejects any other revision', async () => {
        const streamName = newStreamName();
        await store.appendToStream(streamName, [eventFixture(), eventFixture()], { expectedRevision: 'no_stream' });

        for (const stale of [0, 2]) {
          const append = store.appendToStream(streamName, [eventFixture()], { expectedRevision: stale });
          await expect(append).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(append).rejects.toMatchObject({ streamName, expected: stale, actual: 1 });
        }
        const result = await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 1 });

        expect(result.nextExpectedRevision).toBe(2);
        expect((await store.readStream(streamName)).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it('stream_exists requires at least one event in the stream', async () => {
        const streamName = newStreamName();

        await expect(store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'stream_exists' });

        expect(result.nextExpectedRevision).toBe(1);
      });

      it('any appends whether or not the stream exists, and is the default', async () => {
        const streamName = newStreamName();

        await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'any' });
        await store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'any' });
        const result = await store.appendToStream(streamName, [eventFixture()]);

        expect(result.nextExpectedRevision).toBe(2);
      });

      it('reads a stream that does not exist as no events', async () => {
        expect(await store.readStream(newStreamName())).toEqual([]);
      });

      it('reads a stream from a revision and at most maxCount events', async () => {
        const streamName = newStreamName();
        const events = Array.from({ length: 5 }, () => eventFixture());
        await store.appendToStream(streamName, events, { expectedRevision: 'no_stream' });
        const revisions = async (options: { fromRevision?: number; maxCount?: number }) =>
          (await store.readStream(streamName, options)).map((event) => event.revision);

        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 5 })).toEqual([]);
      });
    });

    describe('idempotent appends', () => {
      it.each([
        ['no_stream', 'no_stream' as const],
        ['a revision', 0],
        ['any', 'any' as const],
      ])('re-appending the same ids with %s stores them once and returns the first result', async (_, expectedRevision) => {
        const streamName = newStreamName();
        if (expectedRevision === 0) await store.appendToStream(streamName, [eventFixture()]);
        const events = [eventFixture('First'), eventFixture('Second')];

        const first = await store.appendToStream(streamName, events, { expectedRevision });
        const retry = await store.appendToStream(streamName, events, { expectedRevision });

        expect(retry).toEqual(first);
        const stored = await store.readStream(streamName);
        expect(stored.filter((event) => events.some(({ id }) => id === event.id))).toHaveLength(2);
        expect(stored).toHaveLength(expectedRevision === 0 ? 3 : 2);
      });

      it.each([
        ['no_stream', 'no_stream' as const],
        ['a revision', 0],
        ['stream_exists', 'stream_exists' as const],
        ['any', 'any' as const],
      ])(
        'a retry with %s after another writer appended stores the batch once and returns the first result',
        async (_, expectedRevision) => {
          const streamName = newStreamName();
          const before = typeof expectedRevision === 'number' || expectedRevision === 'stream_exists' ? [eventFixture('Before')] : [];
          if (before.length > 0) await store.appendToStream(streamName, before);
          const events = [eventFixture('First'), eventFixture('Second')];

          const first = await store.appendToStream(streamName, events, { expectedRevision });
          await store.appendToStream(streamName, [eventFixture('ByAnotherWriter')]);
          const retry = await store.appendToStream(streamName, events, { expectedRevision });

          expect(retry).toEqual(first);
          const stored = await store.readStream(streamName);
          expect(stored.map((event) => event.type)).toEqual([...before.map(({ type }) => type), 'First', 'Second', 'ByAnotherWriter']);
          expectChained(streamName, stored);
        },
      );

      it('recognises a retry of events with upper-case ids, and chains them as they are read back', async () => {
        const streamName = newStreamName();
        const upperCase = () => ({ id: randomUUID().toUpperCase() });
        const events = [eventFixture('First', {}, upperCase()), eventFixture('Second', {}, upperCase())];

        const first = await store.appendToStream(streamName, events);
        const again = await store.appendToStream(streamName, events);
        await store.appendToStream(streamName, [eventFixture('ByAnotherWriter', {}, upperCase())]);
        const retry = await store.appendToStream(streamName, events);

        expect([again, retry]).toEqual([first, first]);
        const stored = await store.readStream(streamName);
        expect(stored.map((event) => event.type)).toEqual(['First', 'Second', 'ByAnotherWriter']);
        expect(idsOf(stored.slice(0, 2))).toEqual(idsOf(events));
        expectChained(streamName, stored);
      });

      it('a retry whose events differ from the stored ones is a conflict, and stores nothing', async () => {
        const streamName = newStreamName();
        const [a, b, c] = [eventFixture(), eventFixture(), eventFixture()];
        await store.appendToStream(streamName, [a, b], { expectedRevision: 'no_stream' });

        await expect(store.appendToStream(streamName, [a, c], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect((await store.readStream(streamName)).map((event) => event.id)).toEqual([a.id, b.id]);
      });
    });

    describe('the global log', () => {
      it('reads the events after a position in order, with strictly increasing positions', async () => {
        const [first, second] = [newStreamName(), newStreamName()];
        const start = await store.headPosition();
        await store.appendToStream(first, [eventFixture(), eventFixture()]);
        await store.appendToStream(second, [eventFixture()]);
        const last = await store.appendToStream(first, [eventFixture()]);

        const log = await store.readAll({ after: start });
        const ours = log.filter((event) => event.streamName === first || event.streamName === second);

        expect(ours.map((event) => [event.streamName, event.revision])).toEqual([
          [first, 0],
          [first, 1],
          [second, 0],
          [first, 2],
        ]);
        expect(log.every((event) => isAfter(event.position, start))).toBe(true);
        expectStrictlyIncreasing(log);
        expect(ours.at(-1)!.position).toBe(last.position);
        expect(store.comparePositions((await store.headPosition())!, last.position)).toBeGreaterThanOrEqual(0);
      });

      it('excludes the event at `after` and returns at most maxCount events', async () => {
        const streamName = newStreamName();
        const first = await store.appendToStream(streamName, [eventFixture()]);
        await store.appendToStream(streamName, [eventFixture(), eventFixture()]);

        const page = await store.readAll({ after: first.position, maxCount: 2 });
        const rest = await store.readAll({ after: first.position });

        expect(page).toHaveLength(2);
        expect(page.every((event) => isAfter(event.position, first.position))).toBe(true);
        expect(rest.filter((event) => event.streamName === streamName).map((event) => event.revision)).toEqual([1, 2]);
      });

      it('reads the log backwards, newest first: from the head, or from before a position, at most maxCount', async () => {
        const streamName = newStreamName();
        const start = await store.headPosition();
        await store.appendToStream(streamName, [eventFixture(), eventFixture()]);
        const last = await store.appendToStream(streamName, [eventFixture()]);
        const ours = (events: readonly RecordedEvent[]) =>
          events.filter((event) => event.streamName === streamName).map((event) => event.revision);

        const fromHead = await store.readAllBackwards({ maxCount: 3 });
        const beforeLast = await store.readAllBackwards({ before: last.position, maxCount: 2 });
        const page = await store.readAllBackwards({ before: last.position, maxCount: 1 });
        const forwards = await store.readAll({ after: start, maxCount: 2 });

        expect(ours(fromHead)).toEqual([2, 1, 0]);
        expect(fromHead[0].position).toBe(last.position);
        expect(ours(beforeLast)).toEqual([1, 0]);
        expect(store.comparePositions(beforeLast[0].position, beforeLast[1].position)).toBeGreaterThan(0);
        expect(ours(page)).toEqual([1]);
        // The same events as a forward read of the same stretch, in reverse.
        expect(beforeLast.map((event) => event.id)).toEqual(forwards.map((event) => event.id).reverse());
        await expect(store.readAllBackwards({ before: 'not-a-position' })).rejects.toThrow(InvalidPositionError);
        await expect(store.readAllBackwards({ maxCount: -1 })).rejects.toThrow(TypeError);
        expect(await store.readAllBackwards({ maxCount: 0 })).toEqual([]);
      });

      it('compares positions like a comparator and rejects tokens that are not positions', async () => {
        const streamName = newStreamName();
        const earlier = await store.appendToStream(streamName, [eventFixture()]);
        const later = await store.appendToStream(streamName, [eventFixture()]);

        expect(store.comparePositions(earlier.position, later.position)).toBeLessThan(0);
        expect(store.comparePositions(later.position, earlier.position)).toBeGreaterThan(0);
        expect(store.comparePositions(later.position, later.position)).toBe(0);
        for (const garbage of ['not-a-position', '']) {
          expect(() => store.comparePositions(garbage, later.position)).toThrow(InvalidPositionError);
          expect(() => store.comparePositions(later.position, garbage)).toThrow(InvalidPositionError);
        }
      });
    });

    describe('subscribing to the global log', () => {
      it('catches up from after the start position, then follows live appends, each event once and in order', async () => {
        const streamName = newStreamName();
        const ours = (event: RecordedEvent) => event.streamName === streamName;
        const start = await store.appendToStream(streamName, [eventFixture()]);
        await store.appendToStream(streamName, [eventFixture(), eventFixture()]);
        const subscription = store.subscribeToAll({ after: start.position });
        const events = subscription[Symbol.asyncIterator]();

        try {
          const caughtUp = await pullUntil(events, 2, ours);
          const followed = pullUntil(events, 3, ours);
          for (let i = 0; i < 3; i++) await store.appendToStream(streamName, [eventFixture()]);
          const delivered = [...caughtUp, ...(await followed)];

          expect(delivered.filter(ours).map((event) => event.revision)).toEqual([1, 2, 3, 4, 5]);
          expect(delivered.every((event) => isAfter(event.position, start.position))).toBe(true);
          expectStrictlyIncreasing(delivered);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('unsubscribe ends a pending iteration', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await new Promise((resolve) => setTimeout(resolve, 50)); // the pull is now waiting for new events

        await subscription.unsubscribe();

        expect(await settleWithin(1000, pending)).toEqual({ done: true, value: undefined });
        await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
      });

      it('leaving the iteration early ends the subscription', async () => {
        const streamName = newStreamName();
        const start = await store.appendToStream(streamName, [eventFixture()]);
        await store.appendToStream(streamName, [eventFixture(), eventFixture()]);
        const subscription = store.subscribeToAll({ after: start.position });
        const iterator = subscription[Symbol.asyncIterator]();

        expect((await iterator.next()).done).toBe(false);
        await iterator.return?.();

        await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
      });
    });

    describe('records another tool wrote to the log', () => {
      it('a foreign event in the log is skipped and logged, never fatal', async () => {
        const streamName = newStreamName();
        const foreignStream = `foreign-${randomUUID()}`;
        const ours = (event: RecordedEvent) => event.streamName === streamName;
        const start = await store.appendToStream(streamName, [eventFixture()]);
        const foreignIds = await appendForeignRecords(foreignStream);
        await store.appendToStream(streamName, [eventFixture()]);

        const log = await store.readAll({ after: start.position });
        const [next] = await store.readAll({ after: start.position, maxCount: 1 });
        const head = await store.headPosition();
        const backwards = await store.readAllBackwards({ before: head });
        const [previous] = await store.readAllBackwards({ before: head, maxCount: 1 });
        const subscription = store.subscribeToAll({ after: start.position });
        const followed = await settleWithin(5_000, pullUntil(subscription[Symbol.asyncIterator](), 1, ours)).finally(() =>
          subscription.unsubscribe(),
        );
        const { broken } = await verifyHashChains(store);

        expect(log.filter(ours).map((event) => event.revision)).toEqual([1]);
        // A page of one is the next event the port can read, not an empty page that would end a paging reader.
        expect(next.streamName).not.toBe(foreignStream);
        expect(previous.streamName).not.toBe(foreignStream);
        expect(backwards.filter(ours).map((event) => event.revision)).toEqual([0]);
        expect(followed.filter(ours).map((event) => event.revision)).toEqual([1]);
        expect([...log, ...followed, ...backwards].filter((event) => event.streamName === foreignStream)).toEqual([]);
        expect(await store.readStream(foreignStream)).toEqual([]);
        expect(broken.filter((link) => link.streamName === streamName)).toEqual([]);
        // Each record is reported once, however many readers met it; its data is never quoted.
        for (const id of foreignIds) expect(warnings.filter((line) => line.includes(id))).toEqual([expect.stringContaining(foreignStream)]);
        expect(warnings.join('\n')).not.toContain(FOREIGN_RECORD_TEXT);
      });
      it('an append to a stream that ends in foreign records goes after them, as their revisions count', async () => {
        const streamName = newStreamName();
        const last = (await appendForeignRecords(streamName)).length - 1;

        const unpinned = await store.appendToStream(streamName, [eventFixture()]);
        await expect(store.appendToStream(streamName, [eventFixture()], { expectedRevision: last })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        const pinned = await store.appendToStream(streamName, [eventFixture()], { expectedRevision: last + 1 });
        await expect(store.appendToStream(streamName, [eventFixture()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );

        expect([unpinned.nextExpectedRevision, pinned.nextExpectedRevision]).toEqual([last + 1, last + 2]);
        expect((await store.readStream(streamName)).map((event) => event.revision)).toEqual([last + 1, last + 2]);
        // The first event after them links to nothing the chain can check: that gap is reported, and only that.
        const { broken } = await verifyHashChains(store);
        expect(broken.filter((link) => link.streamName === streamName)).toEqual([
          expect.objectContaining({ revision: last + 1, problem: `revision ${last + 1} follows nothing` }),
        ]);
      });
    });

    describe('concurrent appends', () => {
      it('a wrong expected revision fails only its own append, not those issued alongside it', async () => {
        const conflicting = newStreamName();
        await store.appendToStream(conflicting, [eventFixture()]);
        const fresh = Array.from({ length: 9 }, () => newStreamName());
        const create = (name: string) => store.appendToStream(name, [eventFixture()], { expectedRevision: 'no_stream' });

        const settled = await Promise.allSettled([
          ...fresh.slice(0, 4).map(create),
          store.appendToStream(conflicting, [eventFixture()], { expectedRevision: 5 }),
          ...fresh.slice(4).map(create),
        ]);

        expect(settled.map((outcome) => outcome.status)).toEqual([
          ...Array(4).fill('fulfilled'),
          'rejected',
          ...Array(5).fill('fulfilled'),
        ]);
        expect((settled[4] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        for (const name of fresh) expect(await store.readStream(name)).toHaveLength(1);
        expect(await store.readStream(conflicting)).toHaveLength(1);
      });

      it('of many appends with any to one stream at once, each is stored once, and the chain holds', async () => {
        const streamName = newStreamName();
        await store.appendToStream(streamName, [eventFixture('Opened')]);
        const batches = Array.from({ length: 20 }, (_, writer) => [
          eventFixture('Written', { writer }),
          eventFixture('Written', { writer }),
        ]);

        const results = await Promise.all(batches.map((batch) => store.appendToStream(streamName, batch, { expectedRevision: 'any' })));

        const stored = await store.readStream(streamName);
        expect(stored).toHaveLength(41);
        expect(new Set(idsOf(stored)).size).toBe(41);
        batches.forEach((batch, writer) => {
          const at = stored.findIndex((event) => event.id.toLowerCase() === batch[0].id.toLowerCase());
          // Each batch is stored whole, in order, and its result names its own last event.
          expect(idsOf(stored.slice(at, at + 2))).toEqual(idsOf(batch));
          expect(results[writer]).toEqual({ nextExpectedRevision: at + 1, position: stored[at + 1].position });
        });
        expectChained(streamName, stored);
      });

      it('of appends to one stream at the same expected revision, exactly one wins', async () => {
        const streamName = newStreamName();
        await store.appendToStream(streamName, [eventFixture()]);
        const contenders = Array.from({ length: 5 }, () => eventFixture());

        const settled = await Promise.allSettled(
          contenders.map((event) => store.appendToStream(streamName, [event], { expectedRevision: 0 })),
        );

        const winners = contenders.filter((_, index) => settled[index].status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const outcome of settled) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect((await store.readStream(streamName)).map((event) => event.id).slice(1)).toEqual([winners[0].id]);
      });
    });
  });
}
