import { exponentialBackoff, jittered } from '#backoff';
import type { AppendResult, ExpectedRevision } from '../event-store.port.js';
import { DuplicateEventIdError } from '../sqlite/stream-append.rules.js';

/**
 * What an EventStoreDB append decides before it writes, from a read of the stream on the leader.
 * Every write is pinned: it carries the numeric revision its hash chain was computed for (or
 * `no_stream` for a chain starting at 0), never `any` or `stream_exists`, so the server stores the
 * batch exactly where the chain says or refuses it. A retry of an append already stored is
 * recognised here, by reading back the revisions it was meant for, and writes nothing: the
 * server's own id check covers only part of the cases, and for `any` relies on a cache that a
 * restart or a leader change empties.
 */

/** An event of the stream as the decision sees it. */
export interface StoredLink {
  revision: number;
  /** As the server hands it back: a UUID in lower case. */
  id: string;
  /** Its stored hash, empty when it has none. */
  hash: string;
  position: string;
}

/** How many of the stream's last events (beyond the batch's own count) an `any` or `stream_exists` append looks through for an earlier attempt of itself. */
export const RETRY_LOOKBACK = 100;

/** Which events to read before appending: forwards from a revision, or backwards from the stream's end. */
export type AppendRead = { direction: 'forwards'; fromRevision: number; maxCount: number } | { direction: 'backwards'; maxCount: number };

/**
 * The revisions a batch of `batchSize` events is meant for under `expected`, and the one it
 * chains to. A revision N: event N and the batch's N+1…N+k. `no_stream`: 0…k−1. `any` and
 * `stream_exists` name no revision: the stream's last events, where an earlier attempt would be.
 */
export function appendRead(expected: ExpectedRevision, batchSize: number): AppendRead {
  if (typeof expected === 'number') return { direction: 'forwards', fromRevision: expected, maxCount: batchSize + 1 };
  if (expected === 'no_stream') return { direction: 'forwards', fromRevision: 0, maxCount: batchSize };
  return { direction: 'backwards', maxCount: RETRY_LOOKBACK + batchSize };
}

export interface StreamRead {
  /** The events `appendRead` asked for, in revision order. */
  events: readonly StoredLink[];
  /** The stream's `$tb` (truncate before), looked up when it read as empty: set, it was deleted or truncated. */
  truncatedBefore?: number;
}

export type AppendDecision =
  /** An earlier attempt stored this batch: nothing is written, and that attempt's result is the answer. */
  | { kind: 'stored'; result: AppendResult }
  /** Write the batch chained from `firstRevision` on after `previousHash`, with `expectedRevision` pinning it there. */
  | { kind: 'append'; expectedRevision: number | 'no_stream'; firstRevision: number; previousHash: string }
  /** The stream is not where `expected` says. `actual` is its last revision when the read showed it, undefined when it did not. */
  | { kind: 'conflict'; actual: number | 'no_stream' | undefined };

/**
 * A stream that reads as empty while the server still counts revisions for it (soft-deleted, or
 * truncated by its `$tb`): new events would land after events no read can reach, so their hash
 * chain cannot be linked. The service deletes no streams; this one was changed by other means.
 */
export class TruncatedStreamError extends Error {
  constructor(
    readonly streamName: string,
    readonly truncatedBefore: number,
  ) {
    super(
      `Stream ${streamName} reads as empty but was deleted or truncated in EventStoreDB ($tb ${truncatedBefore}): ` +
        'new events would follow events that can no longer be read, so this store does not append to it',
    );
    this.name = 'TruncatedStreamError';
  }
}

/**
 * Decides an append of the events with `batchIds` (at least one) under `expected`, from what
 * `appendRead` read. Throws `DuplicateEventIdError` when some of the ids are stored in the stream
 * but not as this batch, and `TruncatedStreamError` as described there.
 */
export function decideAppend(
  streamName: string,
  expected: ExpectedRevision,
  batchIds: readonly string[],
  read: StreamRead,
): AppendDecision {
  const { events } = read;
  const last = events.at(-1);
  if (typeof expected === 'number') {
    const stored = storedFrom(expected + 1, batchIds, events);
    if (stored) return stored;
    const [previous] = events;
    // Without event N read there is no hash to chain to: never write on the chance the server has it.
    if (previous?.revision !== expected || last === undefined) return { kind: 'conflict', actual: undefined };
    if (events.length > 1) return { kind: 'conflict', actual: events.length <= batchIds.length ? last.revision : undefined };
    return { kind: 'append', expectedRevision: expected, firstRevision: expected + 1, previousHash: previous.hash };
  }
  if (expected === 'no_stream') {
    const stored = storedFrom(0, batchIds, events);
    if (stored) return stored;
    if (last !== undefined) return { kind: 'conflict', actual: events.length < batchIds.length ? last.revision : undefined };
    return startOfStream(streamName, read);
  }
  // `any` and `stream_exists` read backwards from the end: the last event read is the stream's head.
  const stored = storedAmong(streamName, batchIds, events);
  if (stored) return stored;
  if (last === undefined) return expected === 'stream_exists' ? { kind: 'conflict', actual: 'no_stream' } : startOfStream(streamName, read);
  return { kind: 'append', expectedRevision: last.revision, firstRevision: last.revision + 1, previousHash: last.hash };
}

/** After the server refused a pinned write because the stream moved on, how long to wait before deciding again; undefined: give up. */
export function retryOvertakenAppendAfterMs(expected: ExpectedRevision, failedAttempts: number, random?: () => number): number | undefined {
  // A revision or `no_stream` the caller asked for is the caller's to retry: the stream is not where it said.
  if (expected !== 'any' && expected !== 'stream_exists') return undefined;
  if (failedAttempts >= OVERTAKEN_APPEND_ATTEMPTS) return undefined;
  return jittered(OVERTAKEN_APPEND_BACKOFF, random)(failedAttempts);
}

/** Attempts of one `any` or `stream_exists` append on a stream that other writers keep moving. */
export const OVERTAKEN_APPEND_ATTEMPTS = 20;
const OVERTAKEN_APPEND_BACKOFF = exponentialBackoff({ firstMs: 5, maxMs: 250 });

/** The server keeps ids as UUIDs and answers them in lower case, whatever case they were sent in. */
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function startOfStream(streamName: string, { truncatedBefore }: StreamRead): AppendDecision {
  if (truncatedBefore !== undefined) throw new TruncatedStreamError(streamName, truncatedBefore);
  return { kind: 'append', expectedRevision: 'no_stream', firstRevision: 0, previousHash: '' };
}

/** The batch's result when its events are stored at `firstRevision` and after, in order. */
function storedFrom(firstRevision: number, batchIds: readonly string[], events: readonly StoredLink[]): AppendDecision | undefined {
  const start = events.findIndex((event) => event.revision === firstRevision);
  if (start < 0) return undefined;
  const stored = events.slice(start, start + batchIds.length);
  const matches =
    stored.length === batchIds.length &&
    stored.every((event, index) => event.revision === firstRevision + index && sameId(event.id, batchIds[index]));
  const last = stored.at(-1);
  return matches && last ? { kind: 'stored', result: { nextExpectedRevision: last.revision, position: last.position } } : undefined;
}

/** Where `any` and `stream_exists` find an earlier attempt: ending at the batch's last event, wherever that is among the events read. */
function storedAmong(streamName: string, batchIds: readonly string[], events: readonly StoredLink[]): AppendDecision | undefined {
  const lastId = batchIds[batchIds.length - 1];
  const end = events.find((event) => sameId(event.id, lastId));
  const stored = end && storedFrom(end.revision - batchIds.length + 1, batchIds, events);
  if (stored) return stored;
  const taken = events.find((event) => batchIds.some((id) => sameId(id, event.id)));
  if (taken) throw new DuplicateEventIdError(taken.id, streamName, streamName);
  return undefined;
}
