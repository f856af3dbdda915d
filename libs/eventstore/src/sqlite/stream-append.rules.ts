import type { AppendResult, ExpectedRevision } from '../event-store.port.js';
import type { StoredEventRef } from './sqlite-events.table.js';

/**
 * An event id is already stored, and the append is not a retry of the one that stored it.
 * Event ids are unique across the whole log, so the append cannot be written.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly storedIn: string,
    readonly appendingTo: string,
  ) {
    super(
      `Event ${eventId} is already stored in stream ${storedIn}; the append to ${appendingTo} is not an exact retry of the append that stored it`,
    );
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * Recognises the retry of an append that already succeeded: every id is stored in this stream,
 * consecutively, starting where `expected` says the append began (anywhere for `any` and
 * `stream_exists`). Returns that append's original result, so the retry stores nothing.
 */
export function findOriginalAppend(
  streamName: string,
  expected: ExpectedRevision,
  eventIds: readonly string[],
  stored: ReadonlyMap<string, StoredEventRef>,
): AppendResult | undefined {
  const refs: StoredEventRef[] = [];
  for (const id of eventIds) {
    const ref = stored.get(id);
    if (ref?.streamName !== streamName) return undefined;
    refs.push(ref);
  }
  const [first] = refs;
  const last = refs[refs.length - 1];
  if (!first || !last) return undefined;
  const consecutive = refs.every((ref, index) => ref.revision === first.revision + index);
  const expectedStart = firstRevisionOfAppend(expected);
  const startsAsExpected = expectedStart === undefined || expectedStart === first.revision;
  return consecutive && startsAsExpected ? { nextExpectedRevision: last.revision, position: last.position } : undefined;
}

/** The revision an append's first event gets under `expected`; undefined when it is not fixed. */
function firstRevisionOfAppend(expected: ExpectedRevision): number | undefined {
  if (expected === 'no_stream') return 0;
  return typeof expected === 'number' ? expected + 1 : undefined;
}
