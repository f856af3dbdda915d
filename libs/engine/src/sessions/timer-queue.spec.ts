import { describe, expect, it } from '@jest/globals';
import { TimerQueue } from './timer-queue.js';

const item = (id: string, dueAtMs: number) => ({ id, dueAtMs });

describe('TimerQueue', () => {
  it('hands out due items earliest first and keeps the others', () => {
    const queue = new TimerQueue();
    for (const [id, due] of [
      ['c', 30],
      ['a', 10],
      ['e', 50],
      ['b', 20],
      ['d', 40],
    ] as const)
      queue.add(item(id, due));
    expect(queue.takeDue(35, 2).map(({ id }) => id)).toEqual(['a', 'b']);
    expect(queue.takeDue(35).map(({ id }) => id)).toEqual(['c']);
    expect(queue.size).toBe(2);
    expect(queue.peek()).toEqual(item('d', 40));
  });

  it('skips removed items and lets a re-added id take its new due time', () => {
    const queue = new TimerQueue();
    queue.add(item('a', 10));
    queue.add(item('b', 20));
    queue.remove('a');
    queue.add(item('b', 5));
    expect(queue.has('a')).toBe(false);
    expect(queue.takeDue(100)).toEqual([item('b', 5)]);
    expect(queue.peek()).toBeUndefined();
  });

  it('orders many random items like a sort does', () => {
    const queue = new TimerQueue();
    const dues = Array.from({ length: 500 }, (_, index) => ({ id: `t${index}`, dueAtMs: (index * 7919) % 1000 }));
    dues.forEach((due) => queue.add(due));
    const taken = queue.takeDue(Infinity).map(({ dueAtMs }) => dueAtMs);
    expect(taken).toEqual(dues.map(({ dueAtMs }) => dueAtMs).sort((a, b) => a - b));
  });
});
