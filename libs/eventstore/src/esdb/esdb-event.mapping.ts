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
import { foreignRecordReason } from '../foreign-record.rules.js';
import type { SkippedRecord, SkippedRecordsLog } from '../skipped-records.log.js';
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

/** What a record of `$all` or of a stream is to the port. */
export type LogRecordReading =
  | { kind: 'event'; event: RecordedEvent }
  /** The server's own record: never shown, never reported. */
  | { kind: 'system' }
  /** Written by another tool: skipped and reported, never fatal to the reader. */
  | { kind: 'foreign'; record: SkippedRecord; reason: string };

/**
 * Reads a stored record: the event in the port's shape, the server's own record, or a record
 * another tool wrote (data or metadata missing, binary or not a JSON object). A record without
 * its log position means a server too old for this adapter, which no skipping would cure.
 */
export function readLogRecord(record: EsdbRecordedEvent): LogRecordReading {
  if (isSystemEvent(record)) return { kind: 'system' };
  const position = logPositionOf(record);
  const reason = foreignRecordReason(record.data, record.metadata);
  if (reason === undefined) return { kind: 'event', event: inPortShape(record, position) };
  const { id, type, streamId, revision } = record;
  return { kind: 'foreign', record: { id, type, streamName: streamId, revision: Number(revision), position }, reason };
}

/** The port's event a record holds; undefined for the server's own records and for foreign ones, which are reported. */
export function portEventOf(record: EsdbRecordedEvent, skippedRecords: SkippedRecordsLog): RecordedEvent | undefined {
  const reading = readLogRecord(record);
  if (reading.kind === 'foreign') skippedRecords.skipped(reading.record, reading.reason);
  return reading.kind === 'event' ? reading.event : undefined;
}

/**
 * Maps an event written through the port to the port's shape. Anything else is refused by name
 * rather than passed on with a shape the rest of the service cannot read: `readLogRecord` is
 * what tells the two apart.
 */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const position = logPositionOf(event);
  const reason = foreignRecordReason(event.data, event.metadata);
  if (reason !== undefined) throw new TypeError(`${described(event)} was not written through this event store: ${reason}`);
  return inPortShape(event, position);
}

/** An event whose data and metadata are known to be JSON objects. */
function inPortShape(event: EsdbRecordedEvent, position: string): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as EventMetadata,
    streamName: event.streamId,
    revision: Number(event.revision),
    position,
    // The client converts the server's ticks (100 ns) to a Date with millisecond precision.
    recordedAt: event.created.toISOString(),
  };
}

const described = (event: EsdbRecordedEvent): string => `Event ${event.id} (${event.streamId}@${event.revision})`;

function logPositionOf(event: EsdbRecordedEvent): string {
  if (!event.position) throw new Error(`${described(event)} came without its log position; this adapter needs EventStoreDB 22.6 or later`);
  return formatPosition(event.position);
}
