/** How long to wait before the `retry`-th retry (1 for the first), in milliseconds. */
export type Backoff = (retry: number) => number;

/** Doubling: `firstMs` before the first retry, twice as long before each next one, never more than `maxMs`. */
export const exponentialBackoff =
  ({ firstMs, maxMs }: { firstMs: number; maxMs: number }): Backoff =>
  (retry) =>
    Math.min(firstMs * 2 ** Math.max(retry - 1, 0), maxMs);

/** A fixed schedule: `delaysMs[0]` before the first retry and so on, the last delay for every retry after. */
export const steppedBackoff =
  (delaysMs: readonly [number, ...number[]]): Backoff =>
  (retry) =>
    delaysMs[Math.min(Math.max(retry - 1, 0), delaysMs.length - 1)];

/**
 * Full jitter: a random delay between none and what `backoff` says, so that writers that failed
 * together do not try again together.
 */
export const jittered =
  (backoff: Backoff, random: () => number = Math.random): Backoff =>
  (retry) =>
    Math.round(random() * backoff(retry));
