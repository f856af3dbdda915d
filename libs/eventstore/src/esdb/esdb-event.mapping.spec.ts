import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { eventFixture } from '../event-store.contract.js';
import { assertUuidIds, isSystemEvent, toAppendExpectedRevision, toEventData, toRecordedEvent } from './esdb-event.mapping.js';

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

  it.each([
    ['binary data', { isJson: false, data: new Uint8Array([1, 2]) }, /data is not a JSON object/],
    ['metadata that is not JSON', { metadata: new Uint8Array([1, 2]) }, /metadata is not a JSON object/],
    ['no metadata', { metadata: undefined }, /metadata is not a JSON object/],
    ['no log position', { position: undefined }, /without its log position/],
  ])('refuses an event with %s, naming it', (_, overrides, message) => {
    expect(() => toRecordedEvent(stored(overrides))).toThrow(message);
  });

  it('recognises the server’s own records by type or by stream', () => {
    expect(isSystemEvent(stored())).toBe(false);
    expect(isSystemEvent(stored({ type: '$metadata' }))).toBe(true);
    expect(isSystemEvent(stored({ streamId: '$scavenges' }))).toBe(true);
  });
});
