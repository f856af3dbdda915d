import { exponentialBackoff } from '#backoff';
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  type AllStreamResolvedEvent,
  type Position,
} from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent } from '../event-store.port.js';
import { isSystemEvent, toRecordedEvent } from './esdb-event.mapping.js';
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
  /** Called once when the subscription ends, so its owner can forget it. */
  onEnd: (subscription: ResubscribingAllSubscription) => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Errors after which the same request may succeed: the server or the network was briefly away. */
const TRANSIENT_ERRORS = [UnavailableError, DeadlineExceededError, CancelledError, NotLeaderError, TimeoutError];
const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isTransientError(error: unknown): boolean {
  if (TRANSIENT_ERRORS.some((type) => error instanceof type)) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}

/** Exponential backoff: the first retry waits `initialDelayMs`, each further one twice as long, up to `maxDelayMs`. */
export function retryDelayMs(failures: number, { initialDelayMs, maxDelayMs }: RetryPolicy): number {
  return exponentialBackoff({ firstMs: initialDelayMs, maxMs: maxDelayMs })(failures);
}

/**
 * Follows `$all` through a server subscription, consumed one event at a time. When the link
 * fails transiently it subscribes again from the last position it has seen, after a growing
 * pause (doubling with each consecutive failure, starting over once a new event arrives), so the
 * consumer sees every event after the start position exactly once and in order. Any other
 * failure ends the subscription and reaches the consumer.
 */
export class ResubscribingAllSubscription implements AllSubscription {
  private checkpoint: Position | undefined;
  private source: LogSubscription | undefined;
  private ended = false;
  private readonly stopped: Promise<IteratorReturnResult<undefined>>;
  private signalStopped!: () => void;
  /** An async generator queues overlapping `next()` calls, so events go out in order. */
  private readonly delivery: AsyncGenerator<RecordedEvent, void, undefined>;

  constructor(private readonly options: ResubscribingAllSubscriptionOptions) {
    this.checkpoint = options.after;
    this.stopped = new Promise((resolve) => {
      this.signalStopped = () => resolve(DONE);
    });
    this.delivery = this.deliver();
  }

  async unsubscribe(): Promise<void> {
    this.signalStopped();
    await this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      // Racing `stopped` ends a pull that is waiting for the server as soon as `unsubscribe()` is called.
      next: () => (this.ended ? Promise.resolve(DONE) : Promise.race([this.delivery.next(), this.stopped])),
      // `break` out of `for await` lands here.
      return: async () => {
        await this.unsubscribe();
        return DONE;
      },
    };
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
          if (!isSystemEvent(event)) yield toRecordedEvent(event);
        }
      } catch (error) {
        if (this.ended) return;
        if (!isTransientError(error)) {
          await this.end();
          throw error;
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

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.stopped.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
