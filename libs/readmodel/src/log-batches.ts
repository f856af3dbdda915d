import type { RecordedEvent } from '#eventstore';

export interface LogBatchLimits {
  /** Events in one batch at the most. */
  maxEvents: number;
  /** How long one batch may keep taking events that are ready, in ms: bounds a commit's size in time. */
  maxMs: number;
  /** After this long without a new event, an empty batch tells the consumer the log is quiet. */
  idleMs: number;
}

const NOT_READY = Symbol('not ready');
type Pulled = IteratorResult<RecordedEvent> | typeof NOT_READY;

/** Resolves once the callbacks of promises that are already settled have run. */
const afterReadyCallbacks = (): Promise<typeof NOT_READY> => new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));

/**
 * Groups a subscription's events into batches of what is ready at once, so that a consumer
 * commits a page of events together instead of one commit per event. A batch ends when the next
 * event is not ready yet, or at the limits. When nothing arrives for `idleMs`, one empty batch is
 * yielded, for work that waits for a quiet moment. Events keep log order.
 */
export async function* logBatches(events: AsyncIterable<RecordedEvent>, limits: LogBatchLimits): AsyncGenerator<RecordedEvent[]> {
  const iterator = events[Symbol.asyncIterator]();
  // A pull that lost a race is kept and awaited next time: no event is dropped.
  let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  const pull = async (unlessReadyBy?: Promise<typeof NOT_READY>): Promise<Pulled> => {
    pending ??= iterator.next();
    const pulled = unlessReadyBy ? await Promise.race([pending, unlessReadyBy]) : await pending;
    if (pulled !== NOT_READY) pending = undefined;
    return pulled;
  };
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<typeof NOT_READY>((resolve) => {
        timer = setTimeout(() => resolve(NOT_READY), limits.idleMs);
      });
      let first = await pull(quiet);
      clearTimeout(timer);
      if (first === NOT_READY) {
        yield [];
        first = await pull();
      }
      if (first === NOT_READY || first.done) return;
      const batch = [first.value];
      const startedAt = performance.now();
      let ended = false;
      while (batch.length < limits.maxEvents && performance.now() - startedAt < limits.maxMs) {
        const next = await pull(afterReadyCallbacks());
        if (next === NOT_READY) break;
        if (next.done) {
          ended = true;
          break;
        }
        batch.push(next.value);
      }
      yield batch;
      if (ended) return;
    }
  } finally {
    await iterator.return?.();
  }
}
