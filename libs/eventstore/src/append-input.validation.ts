import type { ExpectedRevision, NewEvent } from './event-store.port.js';

/**
 * Rejects a malformed append before it reaches a backend, naming what is wrong. Callers may be
 * plain JavaScript or deserialised input, so nothing here trusts the static types.
 */
export function assertValidAppend(streamName: unknown, events: unknown, expectedRevision: unknown): asserts events is readonly NewEvent[] {
  if (typeof streamName !== 'string' || streamName === '') {
    throw new TypeError('appendToStream: the stream name must be a non-empty string');
  }
  if (!Array.isArray(events)) {
    throw new TypeError(`appendToStream(${streamName}): events must be an array`);
  }
  const ids = new Set<string>();
  events.forEach((event: unknown, index) => {
    const where = `appendToStream(${streamName}): event #${index}`;
    if (!isObject(event)) throw new TypeError(`${where} must be an object`);
    if (!isNonEmptyString(event.id)) throw new TypeError(`${where} needs an id (a non-empty string)`);
    if (!isNonEmptyString(event.type)) throw new TypeError(`${where} needs a type (a non-empty string)`);
    if (!isObject(event.data)) throw new TypeError(`${where} needs data (an object)`);
    if (!isObject(event.metadata)) throw new TypeError(`${where} needs metadata (an object)`);
    if (ids.has(event.id)) throw new TypeError(`${where} repeats the id ${event.id}`);
    ids.add(event.id);
  });
  if (!isExpectedRevision(expectedRevision)) {
    throw new TypeError(
      `appendToStream(${streamName}): expected revision must be 'no_stream', 'stream_exists', 'any' or a revision (an integer >= 0), got ${JSON.stringify(expectedRevision)}`,
    );
  }
}

/** For read options such as `fromRevision` and `maxCount`: absent, or an integer >= 0. */
export function assertOptionalCount(value: unknown, name: string): asserts value is number | undefined {
  if (value !== undefined && !isNonNegativeInteger(value)) {
    throw new TypeError(`${name} must be an integer >= 0, got ${JSON.stringify(value)}`);
  }
}

function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return value === 'no_stream' || value === 'stream_exists' || value === 'any' || isNonNegativeInteger(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
