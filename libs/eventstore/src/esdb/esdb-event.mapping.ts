import {
  ANY,
  jsonEvent,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port.js';
import { formatPosition } from './esdb-position.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The server keeps event ids as UUIDs (and hands them back in lower case); anything else it refuses. */
export function assertUuidIds(streamName: string, events: readonly NewEvent[]): void {
  events.forEach(({ id }, index) => {
    if (!UUID.test(id)) {
      throw new TypeError(`appendToStream(${streamName}): event #${index} has the id ${id}, which is not a UUID`);
    }
  });
}

export function toEventData({ id, type, data, metadata }: NewEvent): EventData {
  return jsonEvent({ id, type, data, metadata });
}

export function toAppendExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** The server's own records (`$`-prefixed types such as `$metadata`, `$`-prefixed streams such as `$stats-…`). */
export function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * Maps a stored event to the port's shape. Events written through the port always carry JSON
 * objects as data and metadata; anything else was written by another tool and is refused by
 * name rather than passed on with a shape the rest of the service cannot read.
 */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const where = `Event ${event.id} (${event.streamId}@${event.revision})`;
  if (!event.position) {
    throw new Error(`${where} came without its log position; this adapter needs EventStoreDB 22.6 or later`);
  }
  return {
    id: event.id,
    type: event.type,
    data: asJsonObject(event.data, `${where} data`),
    metadata: asJsonObject(event.metadata, `${where} metadata`) as EventMetadata,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: formatPosition(event.position),
    // The client converts the server's ticks (100 ns) to a Date with millisecond precision.
    recordedAt: event.created.toISOString(),
  };
}

function asJsonObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    return value as Record<string, unknown>;
  }
  throw new TypeError(`${what} is not a JSON object; it was not written through this event store`);
}
