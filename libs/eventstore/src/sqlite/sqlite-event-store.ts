import Database from 'better-sqlite3';
import { assertOptionalCount, assertValidAppend } from '../append-input.validation.js';
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port.js';
import { assertExpectedRevision, satisfiesExpectedRevision } from '../expected-revision.rules.js';
import { SkippedRecordsLog, type EventStoreLogger } from '../skipped-records.log.js';
import { storeFailure } from '../store-unavailable.error.js';
import { GroupCommitQueue, type Outcome } from './group-commit.queue.js';
import { PollingAllSubscription } from './polling-all-subscription.js';
import { RecentEvents } from './recent-events.js';
import { StreamHeadsCache } from './stream-heads.cache.js';
import { SqliteEventsTable } from './sqlite-events.table.js';
import { createOwnerOnlyIfMissing } from './sqlite-file.permissions.js';
import { isSqliteOutage } from './sqlite-outage.js';
import { comparePositions, LOG_START_POSITION, MAX_SEQUENCE, parsePosition } from './sqlite-position.js';
import { DuplicateEventIdError, findOriginalAppend } from './stream-append.rules.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file; it is created with its schema when missing, readable by its owner only. */
  file: string;
  /** How often live subscriptions look for events appended by other processes; 250 ms by default. */
  pollIntervalMs?: number;
  /** Where rows another tool wrote to the file are reported as they are skipped; the console by default. */
  logger?: EventStoreLogger;
}

/** Counters for observing group commit: many appends per transaction means fewer fsyncs. */
export interface SqliteEventStoreStats {
  /** Batch transactions committed since open. */
  transactions: number;
  /** Append requests those transactions carried, failed ones included. */
  appends: number;
  /** Subscriptions currently following the log. */
  openSubscriptions: number;
}

export interface DurabilitySettings {
  journalMode: string;
  synchronous: 'off' | 'normal' | 'full' | 'extra';
}

interface AppendRequest {
  streamName: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
/** Bounds the time one batch holds the write lock and the event loop. */
const MAX_APPENDS_PER_TRANSACTION = 500;
const SUBSCRIPTION_PAGE_SIZE = 500;
/** Enough for every follower of the log to find a busy second's events here. */
const RECENT_EVENTS_KEPT = 20_000;
/** The streams of some thousands of conversations going on at once. */
const STREAM_HEADS_KEPT = 20_000;
/** How long a write waits for another process's transaction before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
const SYNCHRONOUS_LEVELS = ['off', 'normal', 'full', 'extra'] as const;
/** A busy, unreadable or full file fails a call with `StoreUnavailableError`. */
const sqliteFailure = storeFailure('The SQLite event store', isSqliteOutage);

/** `trusting`: written as a new append first (see `appendTrusting`); `checked`: decided against what is stored. */
type AppendCheck = 'trusting' | 'checked';

/**
 * Writes `request` trusting it is new, and once more checked when a unique key refused that: a
 * retry, an id stored before, or a head another process moved. The refused attempt left nothing
 * (the INSERT, its savepoint or its transaction undone).
 */
function checkedWhenTrustFails(write: (request: AppendRequest, check: AppendCheck) => AppendResult, request: AppendRequest): AppendResult {
  try {
    return write(request, 'trusting');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    return write(request, 'checked');
  }
}

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so an
 * acknowledged append is on disk. Appends are group-committed: everything queued in one turn
 * of the event loop is written in one transaction, each append inside its own savepoint so a
 * conflict rolls back only that append.
 */
export class SqliteEventStore implements EventStore {
  private readonly appends: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly writeBatchInTransaction: (requests: readonly AppendRequest[]) => Outcome<AppendResult>[];
  private readonly writeAloneInTransaction: (request: AppendRequest, check: AppendCheck) => AppendResult;
  private readonly subscriptions = new Set<PollingAllSubscription>();
  private readonly counters = { transactions: 0, appends: 0 };
  private readonly recent = new RecentEvents(RECENT_EVENTS_KEPT);
  private readonly heads: StreamHeadsCache;
  /** Events inserted by the batch being written; kept once it commits. */
  private committing: RecordedEvent[] = [];
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly events: SqliteEventsTable,
    private readonly pollIntervalMs: number,
  ) {
    this.heads = new StreamHeadsCache(db, STREAM_HEADS_KEPT);
    // Called inside the batch transaction, better-sqlite3 runs this as SAVEPOINT … RELEASE,
    // and as ROLLBACK TO … RELEASE when it throws.
    const appendInSavepoint = db.transaction((request: AppendRequest, check: AppendCheck) => this.appendOne(request, check));
    // One INSERT that fails undoes itself; only an append of several events needs a savepoint.
    const appendInBatch = (request: AppendRequest, check: AppendCheck) =>
      request.events.length > 1 ? appendInSavepoint(request, check) : this.appendOne(request, check);
    // BEGIN IMMEDIATE takes the write lock up front, so waiting for another process goes
    // through the busy timeout instead of failing when a read lock would need upgrading.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- better-sqlite3's transaction variants are functions of their own, not methods
    this.writeBatchInTransaction = db.transaction((requests: readonly AppendRequest[]) =>
      requests.map((request): Outcome<AppendResult> => {
        try {
          return { ok: true, value: checkedWhenTrustFails(appendInBatch, request) };
        } catch (error) {
          // Some SQLite errors (disk full, I/O) abort the whole transaction: fail the batch.
          if (!db.inTransaction) throw error;
          return { ok: false, error };
        }
      }),
    ).immediate;
    // An append on its own needs no savepoint: its transaction is all or nothing already.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- better-sqlite3's transaction variants are functions of their own, not methods
    this.writeAloneInTransaction = db.transaction((request: AppendRequest, check: AppendCheck) => this.appendOne(request, check)).immediate;
    this.appends = new GroupCommitQueue((requests) => this.writeBatch(requests), MAX_APPENDS_PER_TRANSACTION);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    createOwnerOnlyIfMissing(options.file);
    const db = new Database(options.file);
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const journalMode = db.pragma('journal_mode = WAL', { simple: true });
      if (journalMode !== 'wal') {
        throw new Error(`${options.file} cannot use WAL (journal_mode is ${String(journalMode)})`);
      }
      db.pragma('synchronous = FULL');
      const events = new SqliteEventsTable(db, new SkippedRecordsLog(options.logger ?? console));
      return new SqliteEventStore(db, events, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const { expectedRevision = 'any' } = options;
    assertValidAppend(streamName, events, expectedRevision);
    this.assertOpen();
    return this.appends.submit({ streamName, events, expectedRevision }).catch((error: unknown) => {
      throw sqliteFailure(error);
    });
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertOptionalCount(options.fromRevision, 'fromRevision');
    assertOptionalCount(options.maxCount, 'maxCount');
    this.assertOpen();
    return this.reading(() => this.readStreamNow(streamName, options.fromRevision ?? 0, options.maxCount));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = parsePosition(options.after ?? LOG_START_POSITION);
    assertOptionalCount(options.maxCount, 'maxCount');
    this.assertOpen();
    return this.reading(() => this.events.readAll(after, options.maxCount));
  }

  async readAllBackwards(options: ReadAllBackwardsOptions = {}): Promise<RecordedEvent[]> {
    // The last sequence it may return: every sequence up to the largest SQLite holds, or those before `before`.
    const last = options.before === undefined ? MAX_SEQUENCE : parsePosition(options.before) - 1n;
    assertOptionalCount(options.maxCount, 'maxCount');
    this.assertOpen();
    return this.reading(() => this.events.readAllBackwards(last, options.maxCount));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (options.after !== undefined) parsePosition(options.after);
    this.assertOpen();
    const subscription = new PollingAllSubscription({
      after: options.after,
      readPage: async (after, maxCount) => this.reading(() => this.readFollowing(after, maxCount)),
      pageSize: SUBSCRIPTION_PAGE_SIZE,
      pollIntervalMs: this.pollIntervalMs,
      onEnd: (ended) => this.subscriptions.delete(ended),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  comparePositions(a: string, b: string): number {
    return comparePositions(a, b);
  }

  async headPosition(): Promise<string | undefined> {
    this.assertOpen();
    return this.reading(() => this.events.lastPosition());
  }

  /** Commits the appends still queued, ends every subscription, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appends.flushAll();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    this.db.close();
  }

  stats(): SqliteEventStoreStats {
    return { ...this.counters, openSubscriptions: this.subscriptions.size };
  }

  /** The settings that make an acknowledged append durable, read back from the connection. */
  durabilitySettings(): DurabilitySettings {
    this.assertOpen();
    const synchronous = this.db.pragma('synchronous', { simple: true }) as number;
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: SYNCHRONOUS_LEVELS[synchronous] ?? 'off',
    };
  }

  /**
   * What a subscription reads next: the events this process just committed come from memory,
   * anything else from the file. (`readAll` always reads the file: it is also what checks it.)
   */
  private readFollowing(after: string | undefined, maxCount: number): RecordedEvent[] {
    this.assertOpen();
    const position = parsePosition(after ?? LOG_START_POSITION);
    const recent = this.recent.after(position, maxCount);
    return recent.length > 0 ? recent : this.events.readAll(position, maxCount);
  }

  /** A stream's events from `fromRevision` on; none without a query when they would start past its known head. */
  private readStreamNow(streamName: string, fromRevision: number, maxCount: number | undefined): RecordedEvent[] {
    const known = this.heads.head(streamName);
    if (known !== undefined && fromRevision > known.revision) return [];
    const events = this.events.readStream(streamName, fromRevision, maxCount);
    // Fewer than asked for means there are no more (see SqliteEventsTable.readStream).
    if (maxCount === undefined || events.length < maxCount) this.heads.readToEnd(streamName, fromRevision, events);
    return events;
  }

  private writeBatch(requests: readonly AppendRequest[]): Outcome<AppendResult>[] {
    this.committing = [];
    const outcomes = requests.length === 1 ? [this.writeAlone(requests[0])] : this.writeBatchInTransaction(requests);
    // Committed now; a failed transaction threw before this line.
    this.recent.add(this.committing);
    this.heads.committed(this.committing);
    this.committing = [];
    this.counters.transactions += 1;
    this.counters.appends += requests.length;
    if (outcomes.some((outcome) => outcome.ok)) {
      for (const subscription of this.subscriptions) subscription.wake();
    }
    return outcomes;
  }

  /** One append in a transaction of its own; when it fails, nothing of it was written. */
  private writeAlone(request: AppendRequest): Outcome<AppendResult> {
    try {
      return { ok: true, value: checkedWhenTrustFails(this.writeAloneInTransaction, request) };
    } catch (error) {
      this.committing = [];
      return { ok: false, error };
    }
  }

  /** One append, inside its savepoint; throwing rolls back only this append. */
  private appendOne(request: AppendRequest, check: AppendCheck): AppendResult {
    return check === 'trusting' && request.events.length > 0 ? this.appendTrusting(request) : this.appendChecked(request);
  }

  /**
   * The usual append, a new one, written without looking its ids up: were it a retry, or an id
   * stored before, an INSERT fails on a unique key and the append is decided again in full. The
   * stream's head is the one last learnt (had another process appended since, the INSERT of that
   * revision fails the same way), and looked up only when none is known; a new stream's head is
   * not looked up either (were the stream there, the INSERT of its first revision fails).
   */
  private appendTrusting({ streamName, events, expectedRevision }: AppendRequest): AppendResult {
    const known = this.heads.lastKnownHead(streamName);
    // -1, as in KnownHead: no event yet.
    const revision = known ? known.revision : expectedRevision === 'no_stream' ? -1 : (this.events.streamHead(streamName)?.revision ?? -1);
    const lastRevision = revision < 0 ? undefined : revision;
    if (!satisfiesExpectedRevision(expectedRevision, lastRevision)) return this.appendChecked({ streamName, events, expectedRevision });
    return this.inserted(streamName, lastRevision, events, known?.hash);
  }

  /** An append decided against what is stored: a retry, a repeated id and the head are all looked up. */
  private appendChecked({ streamName, events, expectedRevision }: AppendRequest): AppendResult {
    const eventIds = events.map((event) => event.id);
    const stored = this.events.findByIds(eventIds);
    const original = findOriginalAppend(streamName, expectedRevision, eventIds, stored);
    if (original) return original;

    const head = this.events.streamHead(streamName);
    assertExpectedRevision(streamName, expectedRevision, head?.revision);
    const [duplicate] = stored.values();
    if (duplicate) throw new DuplicateEventIdError(duplicate.eventId, duplicate.streamName, streamName);

    if (events.length === 0) {
      return head
        ? { nextExpectedRevision: head.revision, position: head.position }
        : { nextExpectedRevision: -1, position: LOG_START_POSITION };
    }
    // The event at a revision never changes, so neither does its hash.
    const known = this.heads.lastKnownHead(streamName);
    const knownPreviousHash = head === undefined ? '' : known?.revision === head.revision ? known.hash : undefined;
    return this.inserted(streamName, head?.revision, events, knownPreviousHash);
  }

  /** Inserts `events` after `lastRevision` (undefined: a new stream), linked to `knownPreviousHash` when given. */
  private inserted(
    streamName: string,
    lastRevision: number | undefined,
    events: readonly NewEvent[],
    knownPreviousHash: string | undefined,
  ): AppendResult {
    const recordedAt = new Date().toISOString();
    const firstRevision = (lastRevision ?? -1) + 1;
    const recorded = this.events.insert(streamName, firstRevision, events, recordedAt, knownPreviousHash);
    this.committing.push(...recorded);
    const last = recorded[recorded.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw sqliteFailure(error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The SQLite event store is closed');
  }
}
