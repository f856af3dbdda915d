import { exponentialBackoff } from '#backoff';
import type { AllStreamResolvedEvent, Position } from '@eventstore/db-client';
import { isEsdbOutage } from './esdb-error.mapping.js';
import type { AllSubscription, RecordedEvent } from '../event-store.port.js';
import { SkippedRecordsLog } from '../skipped-records.log.js';
import { portEventOf } from './esdb-event.mapping.js';
import { compareLogPositions } from './esdb-position.js';

/** The part of the client's `$all` subscription this adapter relies on. */
export interface LogSubscription extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
}

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ResubscribingAllSubscriptionOptions {
  /** Exclusive start position; from the beginning of the log when absent. */
  after: Position | undefined;
  /** Opens a server subscription from a position (inclusive or not: the event at it is skipped). */
  subscribe: (from: Position | undefined) => LogSubscription;
  retry: RetryPolicy;
  /** What a failure that is no outage reaches the consumer as: the port's error for it. */
  failure: (error: unknown) => unknown;
  /** Called once when the subscription ends, so its owner can forget it. */
  onEnd: (subscription: ResubscribingAllSubscription) => void;
  /** Where records another tool wrote to the log are reported as they are skipped; the console by default. */
  skippedRecords?: SkippedRecordsLog;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Exponential backoff: the first retry waits `initialDelayMs`, each further one twice as long, up to `maxDelayMs`. */
export function retryDelayMs(failures: number, { initialDelayMs, maxDelayMs }: RetryPolicy): number {
  return exponentialBackoff({ firstMs: initialDelayMs, maxMs: maxDelayMs })(failures);
}

/**
 * Follows `$all` through a server subscription, consumed one event at a time. When the link
 * fails transiently it subscribes again from the last position it has seen, after a growing
 * pause (doubling with each consecutive failure, starting over once a new event arrives), so the
 * consumer sees every event after the start position exactly once and in order. Any other
 * failure ends the subscription and reaches the consumer. Records another tool wrote are skipped
 * and reported, never fatal.
 *
 * It follows `$all` for the life of the process, so nothing may pile up per event or per retry:
 * a pull and a pause listen for `unsubscribe()` only while they wait.
 */
export class ResubscribingAllSubscription implements AllSubscription {
  private checkpoint: Position | undefined;
  private source: LogSubscription | undefined;
  private ended = false;
  /** Aborted by `unsubscribe()`: ends the pulls and the pause waiting at that moment. */
  private readonly stopping = new AbortController();
  private readonly skippedRecords: SkippedRecordsLog;
  /** An async generator queues overlapping `next()` calls, so events go out in order. */
  private readonly delivery: AsyncGenerator<RecordedEvent, void, undefined>;

  constructor(private readonly options: ResubscribingAllSubscriptionOptions) {
    this.checkpoint = options.after;
    this.skippedRecords = options.skippedRecords ?? new SkippedRecordsLog(console);
    this.delivery = this.deliver();
  }

  async unsubscribe(): Promise<void> {
    this.stopping.abort();
    await this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => (this.ended ? Promise.resolve(DONE) : this.pull()),
      // `break` out of `for await` lands here.
      return: async () => {
        await this.unsubscribe();
        return DONE;
      },
    };
  }

  /** The next event; done as soon as `unsubscribe()` is called, even while the pull waits for the server. */
  private pull(): Promise<IteratorResult<RecordedEvent>> {
    const { signal } = this.stopping;
    if (signal.aborted) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      const stop = () => resolve(DONE);
      signal.addEventListener('abort', stop, { once: true });
      void this.delivery
        .next()
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', stop));
    });
  }

  private async *deliver(): AsyncGenerator<RecordedEvent, void, undefined> {
    let failures = 0;
    while (!this.ended) {
      try {
        this.source = this.options.subscribe(this.checkpoint);
        for await (const { event } of this.source) {
          if (this.ended) return;
          // Checkpoints carry no event; a resubscription may repeat the event at its start.
          if (!event?.position || !this.isAfterCheckpoint(event.position)) continue;
          this.checkpoint = event.position;
          failures = 0;
          const recorded = portEventOf(event, this.skippedRecords);
          if (recorded) yield recorded;
        }
      } catch (error) {
        if (this.ended) return;
        if (!isEsdbOutage(error)) {
          await this.end();
          throw this.options.failure(error);
        }
      }
      if (this.ended) return;
      // Failed, or closed by the server without an error: either way, try again after a pause.
      await this.releaseSource();
      failures += 1;
      await this.pause(retryDelayMs(failures, this.options.retry));
    }
  }

  private isAfterCheckpoint(position: Position): boolean {
    return this.checkpoint === undefined || compareLogPositions(position, this.checkpoint) > 0;
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd(this);
    await this.releaseSource();
  }

  /** Cancels the server call; a call that already failed may fail to cancel, which changes nothing. */
  private async releaseSource(): Promise<void> {
    try {
      await this.source?.unsubscribe();
    } catch {
      // Nothing left to release.
    }
  }

  /** Waits `ms`, or until `unsubscribe()` is called. */
  private pause(ms: number): Promise<void> {
    const { signal } = this.stopping;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
