import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { eventFixture } from '../event-store.contract.js';
import { SkippedRecordsLog } from '../skipped-records.log.js';
import {
  assertUuidIds,
  isSystemEvent,
  portEventOf,
  readLogRecord,
  toAppendExpectedRevision,
  toEventData,
  toRecordedEvent,
} from './esdb-event.mapping.js';

function stored(overrides: Partial<Record<keyof EsdbRecordedEvent, unknown>> = {}): EsdbRecordedEvent {
  const { id, type, data, metadata } = eventFixture('OrderPlaced', { total: 42 });
  return {
    streamId: 'order-1',
    id,
    type,
    data,
    metadata,
    isJson: true,
    revision: 3n,
    created: new Date('2024-05-01T10:00:00.123Z'),
    position: { commit: 1200n, prepare: 1200n },
    ...overrides,
  } as EsdbRecordedEvent;
}

describe('mapping between the port and EventStoreDB', () => {
  it('writes an event as JSON with its own id', () => {
    const event = eventFixture('OrderPlaced', { total: 42 });

    expect(toEventData(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'OrderPlaced',
      data: { total: 42 },
      metadata: event.metadata,
    });
  });

  it.each([
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['any', 'any'],
    [7, 7n],
  ] as const)('maps the expected revision %j', (expected, mapped) => {
    expect(toAppendExpectedRevision(expected)).toBe(mapped);
  });

  it('refuses ids the server cannot store', () => {
    const event = eventFixture();

    expect(() => assertUuidIds('order-1', [event, { ...event, id: event.id.toUpperCase() }])).not.toThrow();
    expect(() => assertUuidIds('order-1', [event, { ...event, id: 'order-1-placed' }])).toThrow(
      'appendToStream(order-1): event #1 has the id order-1-placed, which is not a UUID',
    );
  });

  it('reads a stored event in the port shape', () => {
    const event = stored();

    expect(toRecordedEvent(event)).toEqual({
      id: event.id,
      type: 'OrderPlaced',
      data: { total: 42 },
      metadata: event.metadata,
      streamName: 'order-1',
      revision: 3,
      position: '1200/1200',
      recordedAt: '2024-05-01T10:00:00.123Z',
    });
  });

  it('reads an event written through the port as that event', () => {
    const event = stored();

    expect(readLogRecord(event)).toEqual({ kind: 'event', event: toRecordedEvent(event) });
  });

  // The client hands over bytes for binary data and for metadata that is not JSON, undefined for
  // none, and for data declared JSON whatever it parses to (or the text itself when it does not).
  it.each([
    ['binary data', { isJson: false, data: new Uint8Array([1, 2]) }, 'its data is binary, not a JSON object'],
    ['no metadata', { metadata: undefined }, 'its metadata is missing, not a JSON object'],
    ['metadata that is not JSON', { metadata: new Uint8Array([123, 1]) }, 'its metadata is binary, not a JSON object'],
    ['metadata that is a JSON array', { metadata: [1] }, 'its metadata is an array, not a JSON object'],
    ['data that is a JSON array', { data: [1, 2] }, 'its data is an array, not a JSON object'],
    ['data that is a JSON string, or text that is not JSON', { data: '{"total":' }, 'its data is a string, not a JSON object'],
    ['data that is a JSON number', { data: 42 }, 'its data is a number, not a JSON object'],
    ['data that is JSON null', { data: null }, 'its data is null, not a JSON object'],
    [
      'binary data and no metadata',
      { isJson: false, data: new Uint8Array([1]), metadata: undefined },
      'its data is binary and its metadata is missing, not a JSON object',
    ],
  ])('skips a record with %s as foreign, saying why', (_, overrides, reason) => {
    const record = stored(overrides);

    expect(readLogRecord(record)).toEqual({
      kind: 'foreign',
      record: { id: record.id, type: 'OrderPlaced', streamName: 'order-1', revision: 3, position: '1200/1200' },
      reason,
    });
    expect(() => toRecordedEvent(record)).toThrow(`Event ${record.id} (order-1@3) was not written through this event store: ${reason}`);
  });

  it.each([
    ['type', { type: '$metadata', data: new Uint8Array([1]) }],
    ['stream', { streamId: '$stats-127.0.0.1:2113', metadata: undefined }],
  ])('passes over the server’s own records, by %s, whatever their shape', (_, overrides) => {
    expect(readLogRecord(stored(overrides))).toEqual({ kind: 'system' });
  });

  it('refuses a record without its log position, naming it: that is a server too old, not a foreign record', () => {
    const record = stored({ position: undefined });

    expect(() => readLogRecord(record)).toThrow(`Event ${record.id} (order-1@3) came without its log position`);
    expect(() => toRecordedEvent(record)).toThrow(/without its log position/);
  });

  it('hands on the events, and reports each foreign record it passes over without its data', () => {
    const warnings: string[] = [];
    const skippedRecords = new SkippedRecordsLog({ warn: (message) => warnings.push(message) });
    const foreign = stored({ data: ['a customer wrote this'] });

    expect(portEventOf(stored(), skippedRecords)).toMatchObject({ type: 'OrderPlaced' });
    expect(portEventOf(stored({ type: '$metadata' }), skippedRecords)).toBeUndefined();
    expect(portEventOf(foreign, skippedRecords)).toBeUndefined();
    expect(warnings).toEqual([
      `Skipped the record ${foreign.id} (OrderPlaced) at order-1@3, position 1200/1200: its data is an array, not a JSON object; ` +
        'it was not written through this service and is not an event it can read',
    ]);
  });

  it('recognises the server’s own records by type or by stream', () => {
    expect(isSystemEvent(stored())).toBe(false);
    expect(isSystemEvent(stored({ type: '$metadata' }))).toBe(true);
    expect(isSystemEvent(stored({ streamId: '$scavenges' }))).toBe(true);
  });
});
