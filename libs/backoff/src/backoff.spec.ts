import { exponentialBackoff, jittered, steppedBackoff } from './backoff.js';

describe('exponentialBackoff', () => {
  it('doubles from the first delay up to the longest', () => {
    const delay = exponentialBackoff({ firstMs: 100, maxMs: 5_000 });
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(delay)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('waits the first delay for a retry counted from zero', () => {
    expect(exponentialBackoff({ firstMs: 1000, maxMs: 60_000 })(0)).toBe(1000);
  });
});

describe('steppedBackoff', () => {
  it('follows the schedule, then keeps its last delay', () => {
    const delay = steppedBackoff([100, 500, 1000, 5000]);
    expect([1, 2, 3, 4, 5, 100].map(delay)).toEqual([100, 500, 1000, 5000, 5000, 5000]);
  });
});

describe('jittered', () => {
  it('waits a random part of the delay, from none to all of it', () => {
    const delay = exponentialBackoff({ firstMs: 100, maxMs: 5_000 });
    expect([0, 0.5, 0.999].map((fraction) => jittered(delay, () => fraction)(3))).toEqual([0, 200, 400]);
    expect(jittered(delay, () => 0.5)(50)).toBe(2500);
  });
});
