import { hash as cryptoHash } from 'node:crypto';
import type { EventMetadata, EventStore, NewEvent, RecordedEvent } from './event-store.port.js';

/**
 * Tamper evidence beyond what the stores offer: every event's metadata carries `hash`, a SHA-256
 * over the hash of the previous event of its stream (`previousHash`, empty for the first) and
 * the event itself — stream, revision, id, type, data and the rest of its metadata, as canonical
 * JSON. Changing any stored event breaks its link, and every later link of its stream.
 */

/**
 * JSON with object keys sorted at every level: the same value always gives the same text. It is
 * the text of the value as stored, JSON.stringify's: a `Date` (any `toJSON`) is what that gives,
 * `undefined`, a function or a symbol is left out of an object and `null` in an array — so an
 * event hashes the same when appended and when read back.
 */
export function canonicalJson(value: unknown): string {
  // Like JSON.stringify's, the type hides that `undefined` (or a function) on its own gives no text.
  return canonical(value, '') as string;
}

/**
 * The canonical text of `value` found under `key`; undefined where JSON.stringify leaves it out.
 * Every append hashes its events, so this is written for speed: one string built in place, and
 * keys sorted only when they are not in order already (the usual case for events built in code).
 */
function canonical(value: unknown, key: string): string | undefined {
  const stored = storedForm(value, key);
  switch (typeof stored) {
    case 'string':
    case 'number':
    case 'bigint':
      // JSON.stringify writes NaN and ±Infinity as null, and refuses a bigint, as it does when storing.
      return JSON.stringify(stored);
    case 'boolean':
      return stored ? 'true' : 'false';
    case 'object':
      if (stored === null) return 'null';
      return Array.isArray(stored) ? canonicalArray(stored) : canonicalObject(stored as Record<string, unknown>);
    default:
      return undefined;
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let text = '[';
  for (let index = 0; index < items.length; index++) {
    if (index > 0) text += ',';
    text += canonical(items[index], String(index)) ?? 'null';
  }
  return `${text}]`;
}

function canonicalObject(members: Record<string, unknown>): string {
  const keys = Object.keys(members);
  if (!inCodeUnitOrder(keys)) keys.sort();
  let text = '{';
  for (const member of keys) {
    const memberText = canonical(members[member], member);
    if (memberText === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(member)}:${memberText}`;
  }
  return `${text}}`;
}

/** Array.prototype.sort's default order for strings is this one: by UTF-16 code unit. */
function inCodeUnitOrder(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) if (keys[index - 1] > keys[index]) return false;
  return true;
}

/**
 * What JSON.stringify writes in place of `value`: its `toJSON()`, the primitive inside a boxed one.
 * As in JSON.stringify, only objects and bigints are asked for `toJSON`.
 */
function storedForm(value: unknown, key: string): unknown {
  if (typeof value !== 'object' && typeof value !== 'bigint') return value;
  if (value === null) return value;
  const converted =
    typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(key: string): unknown }).toJSON(key) : value;
  return converted instanceof Number || converted instanceof String || converted instanceof Boolean ? converted.valueOf() : converted;
}

/** The metadata as it was given, without the links the store added. */
export function unchainedMetadata(metadata: EventMetadata): EventMetadata {
  const { hash: _hash, previousHash: _previousHash, ...rest } = metadata;
  return rest;
}

export function eventHash(previousHash: string, streamName: string, revision: number, event: NewEvent): string {
  const { id, type, data, metadata } = event;
  const content = canonicalJson({ streamName, revision, id, type, data, metadata: unchainedMetadata(metadata) });
  // One-shot: every appended event is hashed, and a Hash object per call costs more than the digest.
  return cryptoHash('sha256', `${previousHash}\n${content}`, 'hex');
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
