import type { RecordedEvent } from '../event-store.port.js';
import { StreamHeadsCache } from './stream-heads.cache.js';

const recorded = (streamName: string, revision: number): RecordedEvent => ({
  id: `${streamName}-${revision}`,
  type: 'Happened',
  data: {},
  metadata: { hash: `hash-${streamName}-${revision}` },
  streamName,
  revision,
  position: String(revision + 1),
  recordedAt: '2026-12-03T00:00:00.000Z',
});

describe('StreamHeadsCache', () => {
  let dataVersion: number;
  let heads: StreamHeadsCache;

  beforeEach(() => {
    dataVersion = 1;
    heads = new StreamHeadsCache(() => dataVersion, 2);
  });

  it('knows the last event committed to a stream, with its hash', () => {
    heads.committed([recorded('a', 0), recorded('a', 1), recorded('b', 0)]);

    expect(heads.head('a')).toEqual({ revision: 1, hash: 'hash-a-1' });
    expect(heads.head('b')).toEqual({ revision: 0, hash: 'hash-b-0' });
    expect(heads.head('c')).toBeUndefined();
  });

  it('learns from a read to the end, and that a stream has no events only from a read from its start', () => {
    heads.readToEnd('a', 3, [recorded('a', 3), recorded('a', 4)]);
    heads.readToEnd('b', 0, []);
    heads.readToEnd('c', 5, []);

    expect(heads.head('a')).toEqual({ revision: 4, hash: 'hash-a-4' });
    expect(heads.head('b')).toEqual({ revision: -1, hash: '' });
    expect(heads.head('c')).toBeUndefined();
  });

  it('forgets every head once another connection committed', () => {
    heads.committed([recorded('a', 0)]);
    dataVersion = 2;

    expect(heads.head('a')).toBeUndefined();
    heads.committed([recorded('a', 1)]);
    expect(heads.head('a')).toEqual({ revision: 1, hash: 'hash-a-1' });
  });

  it('keeps the streams learnt last, up to its capacity', () => {
    heads.committed([recorded('a', 0), recorded('b', 0)]);
    heads.readToEnd('a', 1, [recorded('a', 1)]);
    heads.committed([recorded('c', 0)]);

    expect([heads.head('a'), heads.head('b'), heads.head('c')].map((head) => head?.revision)).toEqual([1, undefined, 0]);
  });
});
