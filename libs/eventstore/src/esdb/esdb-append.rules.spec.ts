import { DuplicateEventIdError } from '../sqlite/stream-append.rules.js';
import {
  appendRead,
  decideAppend,
  OVERTAKEN_APPEND_ATTEMPTS,
  RETRY_LOOKBACK,
  retryOvertakenAppendAfterMs,
  TruncatedStreamError,
  type StoredLink,
} from './esdb-append.rules.js';

const STREAM = 'conversation-1';
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ABC = [uuid(0xa), uuid(0xb), uuid(0xc)];

/** Stored events with the given ids from `firstRevision` on, as the server answers them (lower-case ids). */
const stored = (firstRevision: number, ids: readonly string[]): StoredLink[] =>
  ids.map((id, index) => {
    const revision = firstRevision + index;
    return { revision, id: id.toLowerCase(), hash: `hash-${revision}`, position: `${1000 + revision}/${1000 + revision}` };
  });
const others = (firstRevision: number, count: number): StoredLink[] =>
  stored(
    firstRevision,
    Array.from({ length: count }, (_, index) => uuid(0x100 + firstRevision + index)),
  );

describe('what an EventStoreDB append reads first', () => {
  it('reads event N and the batch’s revisions N+1…N+k for a revision N', () => {
    expect(appendRead(4, 3)).toEqual({ direction: 'forwards', fromRevision: 4, maxCount: 4 });
  });

  it('reads revisions 0…k−1 for no_stream', () => {
    expect(appendRead('no_stream', 2)).toEqual({ direction: 'forwards', fromRevision: 0, maxCount: 2 });
  });

  it.each(['any', 'stream_exists'] as const)('reads the stream’s last events for %s, where an earlier attempt would be', (expected) => {
    expect(appendRead(expected, 3)).toEqual({ direction: 'backwards', maxCount: RETRY_LOOKBACK + 3 });
  });
});

describe('deciding an EventStoreDB append', () => {
  describe('a retry of an append already stored writes nothing and answers that append’s result', () => {
    it('at a revision, after another writer appended behind it (the server would check only the expected revision)', () => {
      // The read stops at N+k: whatever was appended after the batch is not read.
      const read = [...stored(4, [uuid(1)]), ...stored(5, ABC)];

      expect(decideAppend(STREAM, 4, ABC, { events: read })).toEqual({
        kind: 'stored',
        result: { nextExpectedRevision: 7, position: '1007/1007' },
      });
    });

    it('with no_stream, after another writer appended', () => {
      expect(decideAppend(STREAM, 'no_stream', ABC, { events: stored(0, ABC) })).toEqual({
        kind: 'stored',
        result: { nextExpectedRevision: 2, position: '1002/1002' },
      });
    });

    it.each(['any', 'stream_exists'] as const)(
      'with %s, after other writers appended behind it (sending the head as expected would store it twice)',
      (expected) => {
        const read = [...others(0, 3), ...stored(3, ABC), ...others(6, 40)];

        expect(decideAppend(STREAM, expected, ABC, { events: read })).toEqual({
          kind: 'stored',
          result: { nextExpectedRevision: 5, position: '1005/1005' },
        });
      },
    );

    it('comparing ids without regard to case: the server answers them in lower case', () => {
      const upperCase = ABC.map((id) => id.toUpperCase());
      const read = [...others(0, 1), ...stored(1, ABC), ...others(4, 2)];

      expect(decideAppend(STREAM, 'any', upperCase, { events: read })).toMatchObject({ kind: 'stored' });
      expect(decideAppend(STREAM, 0, upperCase, { events: read })).toMatchObject({ kind: 'stored' });
      expect(decideAppend(STREAM, 'no_stream', [uuid(0xd).toUpperCase()], { events: stored(0, [uuid(0xd)]) })).toMatchObject({
        kind: 'stored',
      });
    });
  });

  describe('a new append is pinned to the revisions its hash chain is computed for', () => {
    it('at a revision N: after event N, with N expected', () => {
      expect(decideAppend(STREAM, 4, ABC, { events: stored(4, [uuid(1)]) })).toEqual({
        kind: 'append',
        expectedRevision: 4,
        firstRevision: 5,
        previousHash: 'hash-4',
      });
    });

    it.each(['any', 'stream_exists'] as const)('with %s: after the head, with its revision expected, never %s', (expected) => {
      expect(decideAppend(STREAM, expected, ABC, { events: others(0, 7) })).toEqual({
        kind: 'append',
        expectedRevision: 6,
        firstRevision: 7,
        previousHash: 'hash-6',
      });
    });

    it.each(['any', 'no_stream'] as const)(
      'with %s on a stream that reads as empty: from revision 0, with no_stream expected',
      (expected) => {
        expect(decideAppend(STREAM, expected, ABC, { events: [] })).toEqual({
          kind: 'append',
          expectedRevision: 'no_stream',
          firstRevision: 0,
          previousHash: '',
        });
      },
    );
  });

  describe('an append that cannot be chained as asked is a conflict, and writes nothing', () => {
    it('a revision N whose event N was not read (the stream is shorter, or a lagging node answered)', () => {
      expect(decideAppend(STREAM, 4, ABC, { events: [] })).toEqual({ kind: 'conflict', actual: undefined });
    });

    it('a revision N whose event N is no longer readable though later ones are', () => {
      expect(decideAppend(STREAM, 4, ABC, { events: others(6, 2) })).toEqual({ kind: 'conflict', actual: undefined });
    });

    it('a revision N the stream has moved past, with other events', () => {
      expect(decideAppend(STREAM, 0, [uuid(0xa)], { events: others(0, 2) })).toEqual({ kind: 'conflict', actual: undefined });
      expect(decideAppend(STREAM, 0, ABC, { events: others(0, 2) })).toEqual({ kind: 'conflict', actual: 1 });
    });

    it('stream_exists on a stream that reads as empty', () => {
      expect(decideAppend(STREAM, 'stream_exists', ABC, { events: [] })).toEqual({ kind: 'conflict', actual: 'no_stream' });
    });

    it('no_stream on a stream with other events, or with only part of the batch', () => {
      expect(decideAppend(STREAM, 'no_stream', ABC, { events: others(0, 5).slice(0, 3) })).toEqual({ kind: 'conflict', actual: undefined });
      expect(decideAppend(STREAM, 'no_stream', ABC, { events: stored(0, ABC.slice(0, 2)) })).toEqual({ kind: 'conflict', actual: 1 });
    });

    it('a retry whose events differ from the stored ones, at a revision', () => {
      expect(decideAppend(STREAM, 0, ABC, { events: [...others(0, 1), ...stored(1, [ABC[0], ABC[2], ABC[1]])] })).toEqual({
        kind: 'conflict',
        actual: undefined,
      });
    });
  });

  it.each(['any', 'stream_exists'] as const)(
    'refuses %s when some of the ids are stored in the stream but not as this batch',
    (expected) => {
      const read = [...others(0, 2), ...stored(2, [ABC[1]]), ...others(3, 1)];

      expect(() => decideAppend(STREAM, expected, ABC, { events: read })).toThrow(DuplicateEventIdError);
    },
  );

  it.each(['any', 'no_stream'] as const)(
    'refuses %s on a stream that reads as empty but was deleted or truncated: the server would store it after the hidden events',
    (expected) => {
      const decide = () => decideAppend(STREAM, expected, ABC, { events: [], truncatedBefore: Number.MAX_SAFE_INTEGER });

      expect(decide).toThrow(TruncatedStreamError);
      expect(decide).toThrow(`Stream ${STREAM} reads as empty but was deleted or truncated in EventStoreDB`);
    },
  );
});

describe('trying an overtaken append again', () => {
  it.each(['any', 'stream_exists'] as const)('waits a random, growing, bounded delay for %s, a bounded number of times', (expected) => {
    const upToAll = [1, 2, 3, 10].map((attempts) => retryOvertakenAppendAfterMs(expected, attempts, () => 1));
    const nothing = retryOvertakenAppendAfterMs(expected, 3, () => 0);
    const half = retryOvertakenAppendAfterMs(expected, 3, () => 0.5);

    expect(upToAll).toEqual([5, 10, 20, 250]);
    expect([nothing, half]).toEqual([0, 10]);
    expect(retryOvertakenAppendAfterMs(expected, OVERTAKEN_APPEND_ATTEMPTS - 1)).toBeLessThanOrEqual(250);
    expect(retryOvertakenAppendAfterMs(expected, OVERTAKEN_APPEND_ATTEMPTS)).toBeUndefined();
  });

  it.each(['no_stream', 0, 7] as const)('leaves a conflict under %s to the caller', (expected) => {
    expect(retryOvertakenAppendAfterMs(expected, 1)).toBeUndefined();
  });
});
