import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itKeepsItsFilesToTheirOwner } from '../../../../test/support/sqlite-file-modes.js';
import { BARE_BOUND_LIMIT, statementsPreparedBy } from '../../../../test/support/sqlite-statements.js';
import { describeEventStoreContract, eventFixture, FOREIGN_RECORD_TEXT, settleWithin } from '../event-store.contract.js';
import { InvalidPositionError, WrongExpectedRevisionError, type AllSubscription, type RecordedEvent } from '../event-store.port.js';
import { verifyHashChains } from '../hash-chain.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { DuplicateEventIdError } from './stream-append.rules.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sqlite-event-store-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const newFile = () => join(directory, `${randomUUID()}.sqlite`);

/** Rows another program put into the file: data that is not JSON or not an object, metadata that is not an object. */
function insertForeignRows(file: string, streamName: string): string[] {
  const rows = [
    ['ForeignText', FOREIGN_RECORD_TEXT, '{}'],
    ['ForeignList', JSON.stringify([FOREIGN_RECORD_TEXT]), '{}'],
    ['ForeignNumber', '42', '{}'],
    ['ForeignWithoutMetadata', JSON.stringify({ note: FOREIGN_RECORD_TEXT }), ''],
    ['ForeignNullMetadata', JSON.stringify({ note: FOREIGN_RECORD_TEXT }), 'null'],
  ];
  const disk = new Database(file);
  try {
    const insert = disk.prepare(
      'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    return rows.map(([type, data, metadata], revision) => {
      const id = randomUUID();
      insert.run(id, streamName, revision, type, data, metadata, new Date().toISOString());
      return id;
    });
  } finally {
    disk.close();
  }
}

describeEventStoreContract('SqliteEventStore', async ({ logger }) => {
  const file = newFile();
  const store = SqliteEventStore.open({ file, logger });
  return { store, dispose: () => store.close(), appendForeignRecords: async (streamName) => insertForeignRows(file, streamName) };
});

describe('SqliteEventStore', () => {
  let file: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    file = newFile();
    store = SqliteEventStore.open({ file });
  });

  afterEach(async () => {
    await store.close();
  });

  describe('hash chains', () => {
    it('verify a clean log, and name the stream and revision of an event altered on disk', async () => {
      await store.appendToStream('ledger-1', [eventFixture('A', { amount: 10 }), eventFixture('B', { amount: 20 })]);
      await store.appendToStream('ledger-2', [eventFixture('A', { amount: 5 })]);
      await store.appendToStream('ledger-1', [eventFixture('C', { amount: 30 })]);
      const progress: number[] = [];
      expect(await verifyHashChains(store, (checked) => progress.push(checked))).toEqual({
        eventsChecked: 4,
        streamsChecked: 2,
        broken: [],
      });
      expect(progress.at(-1)).toBe(4);

      const disk = new Database(file);
      disk.prepare(`UPDATE events SET data = '{"amount":2000}' WHERE stream_name = 'ledger-1' AND revision = 1`).run();
      disk.close();
      const { broken } = await verifyHashChains(store);
      expect(broken).toEqual([
        expect.objectContaining({ streamName: 'ledger-1', revision: 1, problem: expect.stringContaining('changed after it was stored') }),
      ]);
    });

    it('notice an event taken out of a stream', async () => {
      await store.appendToStream('ledger-3', [eventFixture('A', {}), eventFixture('B', {}), eventFixture('C', {})]);
      const disk = new Database(file);
      disk.prepare(`DELETE FROM events WHERE stream_name = 'ledger-3' AND revision = 1`).run();
      disk.close();
      expect((await verifyHashChains(store)).broken).toEqual([
        expect.objectContaining({ streamName: 'ledger-3', revision: 2, problem: 'revision 2 follows revision 0' }),
      ]);
    });
  });

  describe('durability', () => {
    it('runs in WAL mode with synchronous=FULL', () => {
      expect(store.durabilitySettings()).toEqual({ journalMode: 'wal', synchronous: 'full' });
    });

    it('leaves the file in WAL mode for every other connection', () => {
      const other = new Database(file, { readonly: true });
      try {
        expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        other.close();
      }
    });

    it('keeps the events across close and reopen, and goes on numbering after them', async () => {
      const before = await store.appendToStream('order-1', [eventFixture('OrderPlaced', { total: 42 })]);
      await store.close();

      store = SqliteEventStore.open({ file });
      const after = await store.appendToStream('order-1', [eventFixture('OrderShipped')], { expectedRevision: 0 });

      expect((await store.readStream('order-1')).map(({ type, data }) => ({ type, data }))).toEqual([
        { type: 'OrderPlaced', data: { total: 42 } },
        { type: 'OrderShipped', data: {} },
      ]);
      expect(store.comparePositions(after.position, before.position)).toBeGreaterThan(0);
    });

    it('has committed an append by the time its promise resolves', async () => {
      const event = eventFixture();
      await store.appendToStream('order-1', [event]);

      const other = new Database(file, { readonly: true });
      try {
        expect(other.prepare('SELECT event_id FROM events').pluck().all()).toEqual([event.id]);
      } finally {
        other.close();
      }
    });

    it('commits the appends still queued when it closes, and refuses appends afterwards', async () => {
      const queued = store.appendToStream('order-1', [eventFixture()]);
      await store.close();

      await expect(queued).resolves.toMatchObject({ nextExpectedRevision: 0 });
      await expect(store.appendToStream('order-1', [eventFixture()])).rejects.toThrow('closed');
      store = SqliteEventStore.open({ file });
      expect(await store.readStream('order-1')).toHaveLength(1);
    });
  });

  describe('group commit', () => {
    it('writes 200 concurrent appends in a few transactions, each with its own revision check', async () => {
      const before = store.stats();
      const conflicting = (i: number) => i % 10 === 0;

      const settled = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          store.appendToStream(`account-${i}`, [eventFixture()], {
            expectedRevision: conflicting(i) ? 'stream_exists' : 'no_stream',
          }),
        ),
      );

      const after = store.stats();
      expect(after.appends - before.appends).toBe(200);
      expect(after.transactions - before.transactions).toBeLessThanOrEqual(5);
      for (const [i, outcome] of settled.entries()) {
        if (conflicting(i)) {
          expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
          expect(await store.readStream(`account-${i}`)).toEqual([]);
        } else {
          expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
          expect(await store.readStream(`account-${i}`)).toHaveLength(1);
        }
      }
    });

    it('lets an append see the appends queued before it in the same transaction', async () => {
      const before = store.stats();

      const results = await Promise.all([
        store.appendToStream('order-1', [eventFixture()], { expectedRevision: 'no_stream' }),
        store.appendToStream('order-1', [eventFixture()], { expectedRevision: 0 }),
        store.appendToStream('order-1', [eventFixture()], { expectedRevision: 1 }),
      ]);

      expect(results.map((result) => result.nextExpectedRevision)).toEqual([0, 1, 2]);
      expect(store.stats().transactions - before.transactions).toBe(1);
    });

    it('treats a retry queued in the same transaction as the original as idempotent', async () => {
      const events = [eventFixture(), eventFixture()];

      const [original, retry] = await Promise.all([
        store.appendToStream('order-1', events, { expectedRevision: 'no_stream' }),
        store.appendToStream('order-1', events, { expectedRevision: 'no_stream' }),
      ]);

      expect(retry).toEqual(original);
      expect(await store.readStream('order-1')).toHaveLength(2);
    });
  });

  describe('appending', () => {
    it('checks the expected revision of an empty append and returns the head of the stream', async () => {
      expect(await store.appendToStream('order-1', [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1,
        position: '0',
      });
      const appended = await store.appendToStream('order-1', [eventFixture(), eventFixture()]);

      expect(await store.appendToStream('order-1', [], { expectedRevision: 1 })).toEqual(appended);
      await expect(store.appendToStream('order-1', [], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store.readStream('order-1')).toHaveLength(2);
    });

    it('refuses an event id stored in another stream', async () => {
      const event = eventFixture();
      await store.appendToStream('order-1', [event]);

      await expect(store.appendToStream('order-2', [event])).rejects.toMatchObject(
        new DuplicateEventIdError(event.id, 'order-1', 'order-2'),
      );
      expect(await store.readStream('order-2')).toEqual([]);
    });

    it('refuses an append that repeats some stored ids at the right revision but is not a retry', async () => {
      const [a, b] = [eventFixture(), eventFixture()];
      await store.appendToStream('order-1', [a]);

      await expect(store.appendToStream('order-1', [a, b], { expectedRevision: 0 })).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream('order-1')).toHaveLength(1);
    });

    it('re-appending the same ids at a later expected revision is a conflict, not a retry', async () => {
      const event = eventFixture();
      await store.appendToStream('order-1', [event], { expectedRevision: 'no_stream' });
      await store.appendToStream('order-1', [eventFixture()], { expectedRevision: 0 });

      await expect(store.appendToStream('order-1', [event], { expectedRevision: 1 })).rejects.toBeInstanceOf(DuplicateEventIdError);
    });

    it('reads and appends against the stored heads once another instance appended to streams this one knew', async () => {
      const other = SqliteEventStore.open({ file });
      const typesIn = async (streamName: string, fromRevision = 0) =>
        (await store.readStream(streamName, { fromRevision })).map((event) => event.type);
      try {
        await store.appendToStream('order-1', [eventFixture('A')], { expectedRevision: 'no_stream' });
        expect(await typesIn('order-1', 1)).toEqual([]);
        expect(await typesIn('order-2')).toEqual([]);
        await other.appendToStream('order-1', [eventFixture('B')], { expectedRevision: 0 });
        await other.appendToStream('order-2', [eventFixture('X')]);

        await expect(store.appendToStream('order-1', [eventFixture('Stale')], { expectedRevision: 0 })).rejects.toMatchObject(
          new WrongExpectedRevisionError('order-1', 0, 1),
        );
        await expect(store.appendToStream('order-2', [eventFixture('Stale')], { expectedRevision: 'no_stream' })).rejects.toMatchObject(
          new WrongExpectedRevisionError('order-2', 'no_stream', 0),
        );
        await store.appendToStream('order-2', [eventFixture('Y')]);
        expect(await typesIn('order-1', 1)).toEqual(['B']);
        expect(await typesIn('order-2')).toEqual(['X', 'Y']);
        await store.appendToStream('order-1', [eventFixture('C')]);
        await store.appendToStream('order-1', [eventFixture('D'), eventFixture('E')], { expectedRevision: 2 });

        expect(await typesIn('order-1')).toEqual(['A', 'B', 'C', 'D', 'E']);
        expect(await typesIn('order-2')).toEqual(['X', 'Y']);
        expect((await verifyHashChains(store)).broken).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it.each([
      ['an empty stream name', '', [eventFixture()], 'any', /stream name/],
      ['events that are not an array', 'order-1', {}, 'any', /must be an array/],
      ['an event without an id', 'order-1', [{ ...eventFixture(), id: '' }], 'any', /needs an id/],
      ['an event without a type', 'order-1', [{ ...eventFixture(), type: '' }], 'any', /needs a type/],
      ['an event without data', 'order-1', [{ ...eventFixture(), data: undefined }], 'any', /needs data/],
      ['a negative expected revision', 'order-1', [eventFixture()], -1, /expected revision/],
      ['an unknown expected revision', 'order-1', [eventFixture()], 'latest', /expected revision/],
    ])('rejects %s', async (_, streamName, events, expectedRevision, message) => {
      const append = store.appendToStream(streamName, events as never, {
        expectedRevision: expectedRevision as never,
      });

      await expect(append).rejects.toThrow(message);
      expect(await store.headPosition()).toBeUndefined();
    });

    it('rejects the same id twice in one append', async () => {
      const event = eventFixture();

      await expect(store.appendToStream('order-1', [event, event])).rejects.toThrow(/repeats the id/);
    });

    it('fails only the append whose data cannot be stored, not its neighbours', async () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;

      const [broken, fine] = await Promise.allSettled([
        store.appendToStream('order-1', [eventFixture('Fine'), eventFixture('Broken', circular)]),
        store.appendToStream('order-2', [eventFixture()]),
      ]);

      expect(broken.status).toBe('rejected');
      expect(fine.status).toBe('fulfilled');
      expect(await store.readStream('order-1')).toEqual([]);
    });
  });

  describe('positions', () => {
    it('compares positions numerically', () => {
      expect(store.comparePositions('9', '10')).toBeLessThan(0);
      expect(store.comparePositions('010', '10')).toBe(0);
    });

    it.each(['-1', '1.5', ' 1', '1e3', '0x10', '99999999999999999999'])('rejects %j as a position', (garbage) => {
      expect(() => store.comparePositions(garbage, '1')).toThrow(InvalidPositionError);
    });

    it('rejects a foreign position given to readAll or subscribeToAll', async () => {
      await expect(store.readAll({ after: 'C:1/P:1' })).rejects.toBeInstanceOf(InvalidPositionError);
      expect(() => store.subscribeToAll({ after: 'C:1/P:1' })).toThrow(InvalidPositionError);
    });

    it('has no head position while the log is empty', async () => {
      expect(await store.headPosition()).toBeUndefined();
      expect(await store.readAll()).toEqual([]);
    });
  });

  describe('subscriptions', () => {
    it('is woken by an append of this instance at once, without waiting for the poll', async () => {
      const patient = SqliteEventStore.open({ file, pollIntervalMs: 60_000 });
      const events = patient.subscribeToAll()[Symbol.asyncIterator]();
      try {
        const received = events.next();
        await patient.appendToStream('order-1', [eventFixture()]);

        expect(await settleWithin(1000, received)).toMatchObject({ done: false, value: { streamName: 'order-1' } });
      } finally {
        await patient.close();
      }
    });

    it('delivers what another instance on the same file appends, by polling', async () => {
      const reader = SqliteEventStore.open({ file, pollIntervalMs: 20 });
      const subscription = reader.subscribeToAll();
      const events = subscription[Symbol.asyncIterator]();
      try {
        const received = Promise.all([events.next(), events.next()]);
        await store.appendToStream('order-1', [eventFixture(), eventFixture()]);

        const delivered = (await received).map((result) => result.value as RecordedEvent);
        expect(delivered.map((event) => [event.streamName, event.revision])).toEqual([
          ['order-1', 0],
          ['order-1', 1],
        ]);
      } finally {
        await reader.close();
      }
    });

    it('follows the whole log when another instance appended between its own appends, handing out what it wrote frozen', async () => {
      const other = SqliteEventStore.open({ file });
      try {
        await store.appendToStream('order-1', [eventFixture('A')]);
        await other.appendToStream('order-2', [eventFixture('B')]);
        await store.appendToStream('order-1', [eventFixture('C'), eventFixture('D')]);
        const followed: RecordedEvent[] = [];
        for await (const event of store.subscribeToAll()) {
          followed.push(event);
          if (followed.length === 4) break;
        }
        expect(followed.map((event) => event.type)).toEqual(['A', 'B', 'C', 'D']);
        // Read back from the file, the same events look the same.
        expect(followed).toEqual(await other.readAll());
        expect(() => {
          followed[0].data.changed = true;
        }).toThrow(TypeError);
      } finally {
        await other.close();
      }
    });

    it('pages through a log longer than one page, in order', async () => {
      const appended = 1200;
      await store.appendToStream(
        'bulk',
        Array.from({ length: appended }, () => eventFixture()),
      );

      const revisions: number[] = [];
      for await (const event of store.subscribeToAll()) {
        revisions.push(event.revision);
        if (revisions.length === appended) break;
      }

      expect(revisions).toEqual(Array.from({ length: appended }, (_, i) => i));
    });

    it('releases a subscription when the consumer breaks out of for await', async () => {
      await store.appendToStream('order-1', [eventFixture()]);

      for await (const event of store.subscribeToAll()) {
        expect(event.streamName).toBe('order-1');
        expect(store.stats().openSubscriptions).toBe(1);
        break;
      }

      expect(store.stats().openSubscriptions).toBe(0);
    });

    it.each([
      ['unsubscribe', (subscription: AllSubscription) => subscription.unsubscribe()],
      ['the store closes', () => store.close()],
    ])('ends a waiting pull at once when %s, without waiting for the poll', async (_, end) => {
      await store.close();
      store = SqliteEventStore.open({ file, pollIntervalMs: 60_000 });
      const subscription = store.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 20));

      await end(subscription);

      expect(await settleWithin(1000, pending)).toEqual({ done: true, value: undefined });
      expect(store.stats().openSubscriptions).toBe(0);
    });
  });
});

describe('SqliteEventStore statements', () => {
  it('bind their limits so that SQLite plans each of them once', async () => {
    const statements = await statementsPreparedBy(async () => {
      const store = SqliteEventStore.open({ file: newFile() });
      await store.appendToStream('limits-1', [eventFixture()]);
      await store.readStream('limits-1', { maxCount: 1 });
      await store.readAll({ maxCount: 1 });
      await store.close();
    });

    expect(statements.filter((sql) => /\bLIMIT\b/i.test(sql)).length).toBeGreaterThanOrEqual(2);
    expect(statements.filter((sql) => BARE_BOUND_LIMIT.test(sql))).toEqual([]);
  });
});

describe('SqliteEventStore files', () => {
  itKeepsItsFilesToTheirOwner(async (file) => {
    const store = SqliteEventStore.open({ file });
    await store.appendToStream('private-1', [eventFixture('MessageReceived', { text: 'my address is …' })]);
    return store;
  });
});
