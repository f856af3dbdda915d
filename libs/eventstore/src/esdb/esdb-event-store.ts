import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type Direction,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  type ReadRevision,
  type StreamingRead,
} from '@eventstore/db-client';
import { assertOptionalCount, assertValidAppend } from '../append-input.validation.js';
import { BackendAccessDeniedError } from '../backend-access-denied.error.js';
import { BackendUnreachableError } from '../backend-unreachable.error.js';
import { redactConnectionString } from '../connection-string.redaction.js';
import {
  WrongExpectedRevisionError,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllBackwardsOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port.js';
import { assertExpectedRevision } from '../expected-revision.rules.js';
import { chainEvents, storedHash } from '../hash-chain.js';
import { SkippedRecordsLog, type EventStoreLogger } from '../skipped-records.log.js';
import { appendRead, decideAppend, retryOvertakenAppendAfterMs, type StoredLink, type StreamRead } from './esdb-append.rules.js';
import { ESDB, reasonOf, translateAppendError, translateEsdbError } from './esdb-error.mapping.js';
import { assertUuidIds, isSystemEvent, portEventOf, readLogRecord, toAppendExpectedRevision, toEventData } from './esdb-event.mapping.js';
import { compareLogPositions, comparePositions, formatPosition, LOG_START, parsePosition } from './esdb-position.js';
import { ResubscribingAllSubscription, type RetryPolicy } from './resubscribing-all-subscription.js';

export interface EsdbConnectOptions {
  /** For example `esdb://localhost:2113?tls=false`; credentials go in as `esdb://user:password@host…`. */
  connectionString: string;
  /** How long to wait for the server to answer before giving up; 10 s by default. */
  startupTimeoutMs?: number;
  /** Where records another tool wrote to the log are reported as they are skipped; the console by default. */
  logger?: EventStoreLogger;
}

const BACKEND = ESDB;
export { esdbFailure } from './esdb-error.mapping.js';
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
/** Raw records per `$all` read; each page is one bounded call, read to its end. */
const LOG_PAGE_SIZE = 500;
const RESUBSCRIBE_RETRY: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 5_000 };

/**
 * The production event store: EventStoreDB over gRPC. The server owns revisions and positions;
 * this adapter maps shapes and errors to the port and hides the server's own records (`$…`).
 * Each append is decided from a read of the stream on the leader (`esdb-append.rules.ts`): a
 * retry of an append already stored is recognised there and writes nothing, and every write is
 * pinned to the revisions its hash chain was computed for.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<ResubscribingAllSubscription>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    /** The server's address without credentials, for the errors that name it. */
    private readonly address: string,
    private readonly skippedRecords: SkippedRecordsLog,
  ) {}

  /**
   * Connects and proves the server answers and lets this user read the log, or fails with
   * `BackendUnreachableError`, or `BackendAccessDeniedError` for credentials or rights refused.
   */
  static async connect(options: EsdbConnectOptions): Promise<EsdbEventStore> {
    const { connectionString, startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS, logger = console } = options;
    const client = clientFor(connectionString);
    const address = redactConnectionString(connectionString);
    try {
      await settleOrTimeOut(
        startupTimeoutMs,
        readFirstRecord(client, startupTimeoutMs, (error) => translateEsdbError(error, address)),
      );
    } catch (error) {
      await client.dispose();
      throw error instanceof BackendAccessDeniedError ? error : new BackendUnreachableError(BACKEND, address, reasonOf(error));
    }
    return new EsdbEventStore(client, address, new SkippedRecordsLog(logger));
  }

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const { expectedRevision = 'any' } = options;
    assertValidAppend(streamName, events, expectedRevision);
    assertUuidIds(streamName, events);
    this.assertOpen();
    if (events.length === 0) return this.checkStreamHead(streamName, expectedRevision);
    // The server keeps ids in lower case: the chain is computed over the ids it will hand back.
    const batch = events.map((event) => ({ ...event, id: event.id.toLowerCase() }));
    const batchIds = batch.map((event) => event.id);
    for (let failedAttempts = 1; ; failedAttempts++) {
      this.assertOpen();
      const decision = decideAppend(
        streamName,
        expectedRevision,
        batchIds,
        await this.readForAppend(streamName, expectedRevision, batch.length),
      );
      if (decision.kind === 'stored') return decision.result;
      if (decision.kind === 'conflict') {
        const actual = decision.actual ?? (await this.streamHead(streamName))?.revision ?? 'no_stream';
        throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
      }
      const chained = chainEvents(streamName, decision.firstRevision, decision.previousHash, batch);
      try {
        return await this.appendChained(streamName, chained, decision.expectedRevision);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // Another writer moved the stream between the read and the write: decide again, later.
        const delayMs = retryOvertakenAppendAfterMs(expectedRevision, failedAttempts);
        if (delayMs === undefined) throw new WrongExpectedRevisionError(streamName, expectedRevision, error.actual);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /**
   * What `decideAppend` needs, read on the leader: a follower may lag behind the writes, and an
   * append decided on its answer would be chained to a stale head. A stream that reads as empty
   * may still count revisions (soft-deleted or truncated): its `$tb` says so.
   */
  private async readForAppend(streamName: string, expected: ExpectedRevision, batchSize: number): Promise<StreamRead> {
    const read = appendRead(expected, batchSize);
    const forwards = read.direction === 'forwards';
    const found = await this.readStreamRecords(streamName, {
      fromRevision: forwards ? BigInt(read.fromRevision) : END,
      direction: forwards ? FORWARDS : BACKWARDS,
      maxCount: read.maxCount,
      requiresLeader: true,
    });
    const inOrder = forwards ? found : found.reverse();
    const events = inOrder.map(appendLinkOf);
    return events.length > 0 ? { events } : { events, truncatedBefore: await this.truncatedBefore(streamName) };
  }

  private async truncatedBefore(streamName: string): Promise<number | undefined> {
    try {
      const { metadata } = await this.client.getStreamMetadata(streamName, { requiresLeader: true });
      return typeof metadata?.truncateBefore === 'number' ? metadata.truncateBefore : undefined;
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Writes events chained for the revisions `expectedRevision` pins them to. */
  private async appendChained(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: number | 'no_stream',
  ): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamName, events.map(toEventData), {
        expectedRevision: toAppendExpectedRevision(expectedRevision),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // An attempt the server recognised as already written may come back without a position.
      const position = result.position ?? (await this.positionOfRevision(streamName, nextExpectedRevision));
      return { nextExpectedRevision, position: formatPosition(position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
        throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
      }
      throw translateAppendError(error, this.address, streamName, events.length);
    }
  }

  /**
   * A deleted stream reads as no events, like one that never existed: soft-deleted streams
   * already do on the server, and tombstoned ones are treated the same. Appending to a
   * tombstoned stream still fails, with the client's `StreamDeletedError`.
   */
  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { fromRevision, maxCount } = options;
    assertOptionalCount(fromRevision, 'fromRevision');
    assertOptionalCount(maxCount, 'maxCount');
    this.assertOpen();
    if (maxCount === 0) return [];
    return this.readStreamEvents(streamName, {
      fromRevision: fromRevision === undefined ? START : BigInt(fromRevision),
      direction: FORWARDS,
      maxCount,
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readLog(FORWARDS, options.after, options.maxCount);
  }

  async readAllBackwards(options: ReadAllBackwardsOptions = {}): Promise<RecordedEvent[]> {
    return this.readLog(BACKWARDS, options.before, options.maxCount);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    this.assertOpen();
    const subscription = new ResubscribingAllSubscription({
      after,
      subscribe: (from) => this.client.subscribeToAll({ fromPosition: from ?? START, filter: excludeSystemEvents() }),
      retry: RESUBSCRIBE_RETRY,
      failure: (error) => this.failure(error),
      onEnd: (ended) => this.subscriptions.delete(ended),
      skippedRecords: this.skippedRecords,
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  comparePositions(a: string, b: string): number {
    return comparePositions(a, b);
  }

  async headPosition(): Promise<string | undefined> {
    this.assertOpen();
    for await (const event of this.logRecords(BACKWARDS, undefined, LOG_PAGE_SIZE)) {
      if (!isSystemEvent(event)) return formatPosition(event.position);
    }
    return undefined;
  }

  /** Ends every subscription, then releases the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  /** An empty append writes nothing; it checks the expected revision and reports the stream's head. */
  private async checkStreamHead(streamName: string, expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const last = await this.streamHead(streamName);
    assertExpectedRevision(streamName, expectedRevision, last?.revision);
    return last
      ? { nextExpectedRevision: last.revision, position: last.position }
      : { nextExpectedRevision: -1, position: formatPosition(LOG_START) };
  }

  /** The stream's last event, read on the leader: it decides an append. */
  private async streamHead(streamName: string): Promise<RecordedEvent | undefined> {
    const [last] = await this.readStreamEvents(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1, requiresLeader: true });
    return last;
  }

  private async positionOfRevision(streamName: string, revision: number): Promise<Position> {
    const [event] = await this.readStreamEvents(streamName, { fromRevision: BigInt(revision), maxCount: 1, requiresLeader: true });
    if (!event) throw new Error(`Stream ${streamName} has no event at revision ${revision} right after appending it`);
    return parsePosition(event.position);
  }

  /** The server reports a missing stream while the read is iterated, not when it is requested. */
  private async readStreamEvents(streamName: string, options: StreamReadOptions): Promise<RecordedEvent[]> {
    return (await this.readStreamRecords(streamName, options)).flatMap((record) => portEventOf(record, this.skippedRecords) ?? []);
  }

  /** Every record of the stream the read reaches, foreign ones included. */
  private async readStreamRecords(streamName: string, options: StreamReadOptions): Promise<EsdbRecordedEvent[]> {
    try {
      return (await drain(this.client.readStream(streamName, options), (error) => this.failure(error))).flatMap(({ event }) =>
        event ? [event] : [],
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw error;
    }
  }

  /** Up to `maxCount` events of the log strictly beyond `from` in `direction`, foreign records skipped. */
  private async readLog(direction: Direction, from: string | undefined, maxCount: number | undefined): Promise<RecordedEvent[]> {
    const start = from === undefined ? undefined : parsePosition(from);
    assertOptionalCount(maxCount, 'maxCount');
    this.assertOpen();
    const wanted = maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (wanted === 0) return events;
    // The page holds one record more than wanted: a read may include the record at its start.
    for await (const event of this.logRecords(direction, start, Math.min(LOG_PAGE_SIZE, wanted + 1))) {
      const recorded = portEventOf(event, this.skippedRecords);
      if (recorded === undefined) continue;
      events.push(recorded);
      if (events.length >= wanted) break;
    }
    return events;
  }

  /**
   * The records of `$all` strictly beyond `from` in `direction`, system records included, read
   * page by page. A forward read includes the record at its start position, so each page is
   * filtered against where it started. Read on the leader, whatever node the connection string
   * prefers: a follower may not hold yet what this process appended, and the log's head, the audit
   * log and `verify` would then lag behind the service's own answers.
   */
  private async *logRecords(
    direction: Direction,
    from: Position | undefined,
    pageSize: number,
  ): AsyncGenerator<AllStreamRecordedEvent, void, undefined> {
    const onward = direction === FORWARDS ? 1 : -1;
    const logEnd = direction === FORWARDS ? START : END;
    let cursor = from;
    for (;;) {
      const read = this.client.readAll({ fromPosition: cursor ?? logEnd, direction, maxCount: pageSize, requiresLeader: true });
      const resolved = await drain(read, (error) => this.failure(error));
      const page = resolved.flatMap(({ event }) => (event ? [event] : []));
      for (const event of page) {
        if (cursor === undefined || compareLogPositions(event.position, cursor) * onward > 0) yield event;
      }
      if (resolved.length < pageSize || page.length === 0) return;
      cursor = page[page.length - 1].position;
    }
  }

  /** Access refused, an outage, or the client's error as it is. */
  private failure(error: unknown): unknown {
    return translateEsdbError(error, this.address);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The EventStoreDB event store is closed');
  }
}

type StreamReadOptions = { fromRevision: ReadRevision; direction?: Direction; maxCount?: number; requiresLeader?: boolean };

/**
 * A record as an append decides on it. A record another tool wrote holds a revision of the stream
 * all the same: an append goes after it, chained as after a link the chain cannot verify (as the
 * SQLite store does after an unreadable row), and `verify` reports the gap.
 */
function appendLinkOf(record: EsdbRecordedEvent): StoredLink {
  const reading = readLogRecord(record);
  const revision = Number(record.revision);
  if (reading.kind === 'event') return { revision, id: record.id, hash: storedHash(reading.event), position: reading.event.position };
  return {
    revision,
    id: record.id,
    hash: '',
    position: reading.kind === 'foreign' ? reading.record.position : '',
  };
}

/** Parsing errors of the client quote the whole connection string; this message does not. */
function clientFor(connectionString: string): EventStoreDBClient {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch {
    throw new TypeError(`Not a valid ${BACKEND} connection string: ${redactConnectionString(connectionString)}`);
  }
  if (keepsRefusedAppends(connectionString)) {
    void client.dispose();
    throw new TypeError(
      `The ${BACKEND} connection string sets throwOnAppendFailure=false, which this service cannot use: ` +
        `a refused append must fail, and the client would report it as a result: ${redactConnectionString(connectionString)}`,
    );
  }
  return client;
}

/**
 * `throwOnAppendFailure=false`, with the key spelt as the client reads it (any case, `_` and `-`
 * ignored): the client then resolves a wrong expected revision instead of throwing it.
 */
function keepsRefusedAppends(connectionString: string): boolean {
  const query = connectionString.slice(connectionString.indexOf('?') + 1 || connectionString.length);
  return query.split('&').some((pair) => {
    const [key = '', value = ''] = pair.split('=');
    return key.trim().toLowerCase().replace(/[_-]/g, '') === 'throwonappendfailure' && value.trim() === 'false';
  });
}

/** Reading one record of `$all` proves the server answers and lets this client read the log. */
async function readFirstRecord(client: EventStoreDBClient, deadlineMs: number, failure: (error: unknown) => unknown): Promise<void> {
  await drain(client.readAll({ maxCount: 1, deadline: deadlineMs }), failure);
}

/** Reads a bounded call to its end, one item at a time; a failure is thrown as `failure` translates it. */
async function drain<T>(read: StreamingRead<T>, failure: (error: unknown) => unknown): Promise<T[]> {
  const items: T[] = [];
  try {
    for await (const item of read) items.push(item);
  } catch (error) {
    throw failure(error);
  }
  return items;
}

async function settleOrTimeOut<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
