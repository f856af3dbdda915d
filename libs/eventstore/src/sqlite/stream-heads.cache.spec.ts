import Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store.port.js';
import { StreamHeadsCache } from './stream-heads.cache.js';

const recorded = (streamName: string, revision: number): RecordedEvent => ({
  id: `${streamName}-${revision}`,
  type: 'Happened',
  data: {},
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { sub: 'tester', role: 'admin' },
    occurredAt: '2026-12-03T00:00:00.000Z',
    workspace: 'default',
    hash: `hash-${streamName}-${revision}`,
  },
  streamName,
  revision,
  position: String(revision + 1),
  recordedAt: '2026-12-03T00:00:00.000Z',
});

describe('StreamHeadsCache', () => {
  let db: Database.Database;
  let heads: StreamHeadsCache;

  beforeEach(() => {
    db = new Database(':memory:');
    heads = new StreamHeadsCache(db, 2);
  });

  afterEach(() => db.close());

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
});
