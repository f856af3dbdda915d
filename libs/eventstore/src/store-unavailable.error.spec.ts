import Database from 'better-sqlite3';
import { CancelledError, DeadlineExceededError, NotLeaderError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esdbFailure } from './esdb/esdb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { isSqliteOutage } from './sqlite/sqlite-outage.js';
import { StoreUnavailableError, storeFailure } from './store-unavailable.error.js';

describe('StoreUnavailableError', () => {
  it('wraps an outage, keeping the driver error as its cause, and leaves any other error as it is', () => {
    const translate = storeFailure('A store', (error) => error instanceof RangeError);
    const outage = new RangeError('away');
    const defect = new TypeError('bug');

    const wrapped = translate(outage);
    expect(wrapped).toBeInstanceOf(StoreUnavailableError);
    expect(wrapped).toMatchObject({ backend: 'A store', cause: outage, message: 'A store is unavailable: away' });
    expect(translate(defect)).toBe(defect);
    expect(translate(wrapped)).toBe(wrapped);
  });

  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_CANTOPEN'])(
    'takes SQLite’s %s for an outage',
    (code) => expect(isSqliteOutage(new Database.SqliteError('failed', code))).toBe(true),
  );

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_MISUSE', 'SQLITE_ERROR', 'SQLITE_BUSYNESS'])('takes SQLite’s %s for a defect', (code) =>
    expect(isSqliteOutage(new Database.SqliteError('failed', code))).toBe(false),
  );

  it('does not take an error for an outage because it has a code', () => {
    expect(isSqliteOutage(Object.assign(new TypeError('x is not a function'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });

  it('maps EventStoreDB’s unavailable, deadline, cancelled and not-leader errors, and lost connections, to outages', () => {
    // The client builds a NotLeaderError from the server's metadata only.
    const notLeader = Object.create(NotLeaderError.prototype) as Error;
    const lostConnection = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    for (const error of [new UnavailableError(), new DeadlineExceededError(), new CancelledError(), notLeader, lostConnection]) {
      expect(esdbFailure(error)).toBeInstanceOf(StoreUnavailableError);
    }
    const conflict = Object.create(WrongExpectedVersionError.prototype) as Error;
    expect(esdbFailure(conflict)).toBe(conflict);
    const defect = new TypeError('bug');
    expect(esdbFailure(defect)).toBe(defect);
  });

  describe('raised by the SQLite event store', () => {
    let directory: string;
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'store-unavailable-'));
    });
    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('when another process holds the write lock past the busy timeout', async () => {
      const file = join(directory, 'events.sqlite');
      const store = SqliteEventStore.open({ file });
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      try {
        const failure = await store
          .appendToStream('stream-1', [
            {
              id: '00000000-0000-4000-8000-000000000001',
              type: 'Happened',
              data: {},
              metadata: {
                correlationId: 'c',
                causationId: 'c',
                actor: { sub: 's', role: 'system' },
                occurredAt: new Date(0).toISOString(),
                workspace: 'w',
              },
            },
          ])
          .catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(StoreUnavailableError);
        expect((failure as StoreUnavailableError).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      } finally {
        other.exec('ROLLBACK');
        other.close();
        await store.close();
      }
    }, 20_000);
  });
});
