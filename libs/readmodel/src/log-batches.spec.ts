import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#eventstore';
import { logBatches } from './log-batches.js';

const recorded = (position: number): RecordedEvent => ({
  id: `event-${position}`,
  type: 'Ticked',
  data: {},
  metadata: { correlationId: 'c', causationId: 'c', actor: { sub: 't', role: 'system' }, occurredAt: '', workspace: 'w' },
  streamName: 'ticks',
  revision: position,
  position: String(position),
  recordedAt: '',
});

/** A log whose events arrive in bursts: each burst is ready at once, the next one after `gapMs`. */
async function* bursts(sizes: number[], gapMs: number): AsyncGenerator<RecordedEvent> {
  let position = 0;
  for (const [index, size] of sizes.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    for (let count = 0; count < size; count++) yield recorded(position++);
  }
}

const positions = (batches: RecordedEvent[][]) => batches.map((batch) => batch.map((event) => Number(event.position)));

describe('logBatches', () => {
  it('batches what is ready at once and keeps log order, each event once', async () => {
    const batches: RecordedEvent[][] = [];
    for await (const batch of logBatches(bursts([3, 2], 20), { maxEvents: 100, maxMs: 1000, idleMs: 1000 })) batches.push(batch);
    expect(positions(batches)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('ends a batch at the count limit', async () => {
    const batches: RecordedEvent[][] = [];
    for await (const batch of logBatches(bursts([5], 0), { maxEvents: 2, maxMs: 1000, idleMs: 1000 })) batches.push(batch);
    expect(positions(batches)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('yields one empty batch when the log stays quiet, then goes on', async () => {
    const batches: RecordedEvent[][] = [];
    for await (const batch of logBatches(bursts([1, 1], 80), { maxEvents: 100, maxMs: 1000, idleMs: 20 })) batches.push(batch);
    expect(positions(batches)).toEqual([[0], [], [1]]);
  });

  it('ends the source when the consumer stops', async () => {
    let ended = false;
    async function* endless(): AsyncGenerator<RecordedEvent> {
      try {
        for (let position = 0; ; position++) yield recorded(position);
      } finally {
        ended = true;
      }
    }
    for await (const batch of logBatches(endless(), { maxEvents: 10, maxMs: 1000, idleMs: 1000 })) {
      expect(batch).toHaveLength(10);
      break;
    }
    expect(ended).toBe(true);
  });
});
