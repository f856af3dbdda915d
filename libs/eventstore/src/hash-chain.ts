import { createHash } from 'node:crypto';
import type { EventMetadata, EventStore, NewEvent, RecordedEvent } from './event-store.port.js';

/**
 * Tamper evidence beyond what the stores offer: every event's metadata carries `hash`, a SHA-256
 * over the hash of the previous event of its stream (`previousHash`, empty for the first) and
 * the event itself — stream, revision, id, type, data and the rest of its metadata, as canonical
 * JSON. Changing any stored event breaks its link, and every later link of its stream.
 */

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The metadata as it was given, without the links the store added. */
export function unchainedMetadata(metadata: EventMetadata): EventMetadata {
  const { hash: _hash, previousHash: _previousHash, ...rest } = metadata;
  return rest;
}

export function eventHash(previousHash: string, streamName: string, revision: number, event: NewEvent): string {
  const { id, type, data, metadata } = event;
  const content = canonicalJson({ streamName, revision, id, type, data, metadata: unchainedMetadata(metadata) });
  return createHash('sha256').update(`${previousHash}\n${content}`).digest('hex');
}

/**
 * The events as they are stored from `firstRevision` on: each with its links, the first linked
 * to `previousHash` (the stream's last stored hash, or empty for a new stream).
 */
export function chainEvents(streamName: string, firstRevision: number, previousHash: string, events: readonly NewEvent[]): NewEvent[] {
  let previous = previousHash;
  return events.map((event, index) => {
    const hash = eventHash(previous, streamName, firstRevision + index, event);
    const chained = { ...event, metadata: { ...unchainedMetadata(event.metadata), previousHash: previous, hash } };
    previous = hash;
    return chained;
  });
}

/** The stored hash of an event, or empty when it has none (the start of a chain). */
export const storedHash = (event: Pick<RecordedEvent, 'metadata'> | undefined): string =>
  typeof event?.metadata.hash === 'string' ? event.metadata.hash : '';

export interface BrokenLink {
  streamName: string;
  revision: number;
  eventId: string;
  position: string;
  problem: string;
}

export interface ChainVerification {
  eventsChecked: number;
  streamsChecked: number;
  /** The first broken link of each stream that has one, in log order. */
  broken: BrokenLink[];
}

const VERIFY_PAGE_SIZE = 1000;

/**
 * Recomputes every link of every stream from the global log, page by page; reports each
 * stream's first broken link. `onProgress` hears how many events were checked so far.
 */
export async function verifyHashChains(store: EventStore, onProgress?: (checked: number) => void): Promise<ChainVerification> {
  const lastHash = new Map<string, { revision: number; hash: string }>();
  const brokenStreams = new Set<string>();
  const broken: BrokenLink[] = [];
  let checked = 0;
  for (let after: string | undefined; ;) {
    const page = await store.readAll({ after, maxCount: VERIFY_PAGE_SIZE });
    for (const event of page) {
      checked += 1;
      if (brokenStreams.has(event.streamName)) continue;
      const problem = linkProblem(event, lastHash.get(event.streamName));
      lastHash.set(event.streamName, { revision: event.revision, hash: storedHash(event) });
      if (problem === undefined) continue;
      brokenStreams.add(event.streamName);
      const { streamName, revision, id: eventId, position } = event;
      broken.push({ streamName, revision, eventId, position, problem });
    }
    onProgress?.(checked);
    if (page.length < VERIFY_PAGE_SIZE) break;
    after = page.at(-1)?.position;
  }
  return { eventsChecked: checked, streamsChecked: lastHash.size, broken };
}

function linkProblem(event: RecordedEvent, previous: { revision: number; hash: string } | undefined): string | undefined {
  const expectedPrevious = previous?.hash ?? '';
  if (event.revision !== (previous === undefined ? 0 : previous.revision + 1)) {
    return `revision ${event.revision} follows ${previous === undefined ? 'nothing' : `revision ${previous.revision}`}`;
  }
  if (typeof event.metadata.hash !== 'string') return 'the event carries no hash';
  if (event.metadata.previousHash !== expectedPrevious) return 'previousHash is not the hash of the event before it';
  if (eventHash(expectedPrevious, event.streamName, event.revision, event) !== event.metadata.hash) {
    return 'the event does not match its hash: it was changed after it was stored';
  }
  return undefined;
}
