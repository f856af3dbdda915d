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
  type ReadRevision,
  type StreamingRead,
} from '@eventstore/db-client';
import { assertOptionalCount, assertValidAppend } from '../append-input.validation.js';
import { BackendUnreachableError } from '../backend-unreachable.error.js';
import { redactConnectionString } from '../connection-string.redaction.js';
import { storeFailure } from '../store-unavailable.error.js';
import {
  WrongExpectedRevisionError,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port.js';
import { assertExpectedRevision } from '../expected-revision.rules.js';
import { chainEvents, storedHash } from '../hash-chain.js';
import { assertUuidIds, isSystemEvent, toAppendExpectedRevision, toEventData, toRecordedEvent } from './esdb-event.mapping.js';
import { compareLogPositions, comparePositions, formatPosition, LOG_START, parsePosition } from './esdb-position.js';
import { isTransientError, ResubscribingAllSubscription, type RetryPolicy } from './resubscribing-all-subscription.js';

export interface EsdbConnectOptions {
  /** For example `esdb://localhost:2113?tls=false`; credentials go in as `esdb://user:password@host…`. */
  connectionString: string;
  /** How long to wait for the server to answer before giving up; 10 s by default. */
  startupTimeoutMs?: number;
}

const BACKEND = 'EventStoreDB';
/** Unavailable, past its deadline, not the leader, or the network away: `StoreUnavailableError`. */
export const esdbFailure = storeFailure(BACKEND, isTransientError);
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
/** Raw records per `$all` read; each page is one bounded call, read to its end. */
const LOG_PAGE_SIZE = 500;
const RESUBSCRIBE_RETRY: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 5_000 };
/** Appends with `any` pinned to the head they chained to, tried again this often when overtaken. */
const MAX_CHAIN_ATTEMPTS = 10;

/**
 * The production event store: EventStoreDB over gRPC. The server owns revisions, positions and
 * idempotency (re-appending the same event ids at the same expected revision stores nothing);
 * this adapter maps shapes and errors to the port and hides the server's own records (`$…`).
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<ResubscribingAllSubscription>();
  private closed = false;

  private constructor(private readonly client: EventStoreDBClient) {}

  /** Connects and proves the server answers, or fails with `BackendUnreachableError`. */
  static async connect(options: EsdbConnectOptions): Promise<EsdbEventStore> {
    const { connectionString, startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS } = options;
    const client = clientFor(connectionString);
    try {
      await settleOrTimeOut(startupTimeoutMs, readFirstRecord(client, startupTimeoutMs));
    } catch (error) {
      await client.dispose();
      throw new BackendUnreachableError(BACKEND, connectionString, reasonOf(error));
    }
    return new EsdbEventStore(client);
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
    // An append that may land anywhere is pinned to the head it was chained to; a writer that
    // slipped in between makes it chain again.
    for (let attempt = 1; ; attempt++) {
      const link = await this.chainLink(streamName, expectedRevision, events);
      try {
        return await this.appendChained(streamName, chainEvents(streamName, link.firstRevision, link.previousHash, events), link.expected);
      } catch (error) {
        const pinned = link.expected !== expectedRevision;
        if (!(error instanceof WrongExpectedRevisionError) || !pinned || attempt >= MAX_CHAIN_ATTEMPTS) {
          throw error instanceof WrongExpectedRevisionError
            ? new WrongExpectedRevisionError(streamName, expectedRevision, error.actual)
            : error;
        }
      }
    }
  }

  /**
   * Where the new events join the stream's hash chain: after the event at the expected revision,
   * or — for `any` and `stream_exists` — after the stream's last event, pinned to its revision.
   * A retry of an append already stored keeps its expectation: the server recognises it by ids.
   */
  private async chainLink(
    streamName: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<{ previousHash: string; firstRevision: number; expected: ExpectedRevision }> {
    if (expected === 'no_stream') return { previousHash: '', firstRevision: 0, expected };
    const [previous] =
      typeof expected === 'number'
        ? await this.readStreamEvents(streamName, { fromRevision: BigInt(expected), maxCount: 1 })
        : await this.readStreamEvents(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    if (previous === undefined) {
      return { previousHash: '', firstRevision: 0, expected: expected === 'any' ? 'no_stream' : expected };
    }
    const isRetry = events.some((event) => event.id === previous.id);
    const pinned = typeof expected === 'number' || isRetry ? expected : previous.revision;
    return { previousHash: storedHash(previous), firstRevision: previous.revision + 1, expected: pinned };
  }

  private async appendChained(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamName, events.map(toEventData), {
        expectedRevision: toAppendExpectedRevision(expectedRevision),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // A retry the server recognised as already written may come back without a position.
      const position = result.position ?? (await this.positionOfRevision(streamName, nextExpectedRevision));
      return { nextExpectedRevision, position: formatPosition(position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
        throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
      }
      throw esdbFailure(error);
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
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    assertOptionalCount(options.maxCount, 'maxCount');
    this.assertOpen();
    const { maxCount = Number.POSITIVE_INFINITY } = options;
    const events: RecordedEvent[] = [];
    if (maxCount === 0) return events;
    // The page holds one record more than wanted: a forward read includes the record at `after`.
    for await (const event of this.logRecords(FORWARDS, after, Math.min(LOG_PAGE_SIZE, maxCount + 1))) {
      if (isSystemEvent(event)) continue;
      events.push(toRecordedEvent(event));
      if (events.length >= maxCount) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    this.assertOpen();
    const subscription = new ResubscribingAllSubscription({
      after,
      subscribe: (from) => this.client.subscribeToAll({ fromPosition: from ?? START, filter: excludeSystemEvents() }),
      retry: RESUBSCRIBE_RETRY,
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
    const [last] = await this.readStreamEvents(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    assertExpectedRevision(streamName, expectedRevision, last?.revision);
    return last
      ? { nextExpectedRevision: last.revision, position: last.position }
      : { nextExpectedRevision: -1, position: formatPosition(LOG_START) };
  }

  private async positionOfRevision(streamName: string, revision: number): Promise<Position> {
    const [event] = await this.readStreamEvents(streamName, { fromRevision: BigInt(revision), maxCount: 1 });
    if (!event) throw new Error(`Stream ${streamName} has no event at revision ${revision} right after appending it`);
    return parsePosition(event.position);
  }

  /** The server reports a missing stream while the read is iterated, not when it is requested. */
  private async readStreamEvents(
    streamName: string,
    options: { fromRevision: ReadRevision; direction?: Direction; maxCount?: number },
  ): Promise<RecordedEvent[]> {
    try {
      return (await drain(this.client.readStream(streamName, options))).flatMap(({ event }) => (event ? [toRecordedEvent(event)] : []));
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw error;
    }
  }

  /**
   * The records of `$all` strictly beyond `from` in `direction`, system records included, read
   * page by page. A forward read includes the record at its start position, so each page is
   * filtered against where it started.
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
      const read = this.client.readAll({ fromPosition: cursor ?? logEnd, direction, maxCount: pageSize });
      const resolved = await drain(read);
      const page = resolved.flatMap(({ event }) => (event ? [event] : []));
      for (const event of page) {
        if (cursor === undefined || compareLogPositions(event.position, cursor) * onward > 0) yield event;
      }
      if (resolved.length < pageSize || page.length === 0) return;
      cursor = page[page.length - 1].position;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The EventStoreDB event store is closed');
  }
}

/** Parsing errors of the client quote the whole connection string; this message does not. */
function clientFor(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch {
    throw new TypeError(`Not a valid ${BACKEND} connection string: ${redactConnectionString(connectionString)}`);
  }
}

/** Reading one record of `$all` proves the server answers and lets this client read the log. */
async function readFirstRecord(client: EventStoreDBClient, deadlineMs: number): Promise<void> {
  await drain(client.readAll({ maxCount: 1, deadline: deadlineMs }));
}

/** Reads a bounded call to its end, one item at a time. */
async function drain<T>(read: StreamingRead<T>): Promise<T[]> {
  const items: T[] = [];
  try {
    for await (const item of read) items.push(item);
  } catch (error) {
    throw esdbFailure(error);
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

function reasonOf(error: unknown): string {
  return error instanceof Error && error.message !== '' ? error.message : String(error);
}
