import { GroupCommitQueue, type Outcome } from './group-commit.queue.js';

/** A writer that doubles numbers, refuses negative ones, and remembers each batch it was given. */
function recordingWriter() {
  const batches: number[][] = [];
  const write = (requests: readonly number[]): Outcome<number>[] => {
    batches.push([...requests]);
    return requests.map((n) => (n < 0 ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: n * 2 }));
  };
  return { batches, write };
}

describe('GroupCommitQueue', () => {
  it('writes the requests submitted in one turn of the event loop as one batch, each with its own outcome', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, 100);

    const settled = await Promise.allSettled([1, -2, 3].map((n) => queue.submit(n)));

    expect(writer.batches).toEqual([[1, -2, 3]]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('refused -2') },
      { status: 'fulfilled', value: 6 },
    ]);
  });

  it('caps the size of a batch', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, 2);

    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.submit(n)));

    expect(writer.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('puts requests submitted in reaction to a batch into the next batch', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, 100);

    await Promise.all([queue.submit(1).then(() => queue.submit(2)), queue.submit(3)]);

    expect(writer.batches).toEqual([[1, 3], [2]]);
  });

  it('rejects every request of a batch whose transaction failed, and goes on with the next batch', async () => {
    const commitFailure = new Error('disk I/O error');
    let calls = 0;
    const queue = new GroupCommitQueue<number, number>((requests) => {
      calls += 1;
      if (calls === 1) throw commitFailure;
      return requests.map((n) => ({ ok: true, value: n }));
    }, 100);

    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    const next = await queue.submit(3);

    expect(failed).toEqual([
      { status: 'rejected', reason: commitFailure },
      { status: 'rejected', reason: commitFailure },
    ]);
    expect(next).toBe(3);
  });

  it('flushAll writes what is queued at once, without waiting for the scheduled turn', () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, 2);

    void queue.submit(1);
    void queue.submit(2);
    void queue.submit(3);
    queue.flushAll();

    expect(writer.batches).toEqual([[1, 2], [3]]);
  });

  it('settles a large batch a slice per turn, so that other work gets turns in between', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, 100, 10);
    let settled = 0;
    const settledInFirstTurn: number[] = [];
    const submitted = Array.from({ length: 35 }, (_, n) =>
      queue.submit(n).then(() => {
        settled += 1;
        // Runs once this turn's continuations have: only the first slice has settled by then.
        if (settled === 1) queueMicrotask(() => settledInFirstTurn.push(settled));
      }),
    );
    await Promise.all(submitted);
    expect(writer.batches).toHaveLength(1);
    expect(settledInFirstTurn).toEqual([10]);
  });
});
