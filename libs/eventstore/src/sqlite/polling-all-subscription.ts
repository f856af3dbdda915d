import type { AllSubscription, RecordedEvent } from '../event-store.port.js';

export interface PollingAllSubscriptionOptions {
  /** Exclusive start position; from the beginning of the log when absent. */
  after: string | undefined;
  /** Reads the events after a position, in position order, at most `maxCount` of them. */
  readPage: (after: string | undefined, maxCount: number) => Promise<RecordedEvent[]>;
  pageSize: number;
  /** How long to wait for a wake-up before looking for events committed by other processes. */
  pollIntervalMs: number;
  /** Called once when the subscription ends, so its owner can stop waking it. */
  onEnd: (subscription: PollingAllSubscription) => void;
}

/**
 * Follows the global log by reading it page by page: it catches up from the start position, then
 * waits for a wake-up (its owner calls `wake()` after each local commit) or the poll interval
 * before reading on. The consumer pulls one event at a time, so at most one page is held.
 */
export class PollingAllSubscription implements AllSubscription {
  private checkpoint: string | undefined;
  private page: RecordedEvent[] = [];
  private ended = false;
  /** Set by `wake()`, cleared before each read: a wake-up during a read triggers another read. */
  private woken = false;
  private stopWaiting: (() => void) | undefined;
  /** Pulls run one after another, so even overlapping `next()` calls get events in order. */
  private pulls: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PollingAllSubscriptionOptions) {
    this.checkpoint = options.after;
  }

  /** New events may have been committed: stop waiting and read. */
  wake(): void {
    this.woken = true;
    this.stopWaiting?.();
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.page = [];
    this.stopWaiting?.();
    this.options.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => {
        const pull = this.pulls.then(() => this.pull());
        this.pulls = pull.catch(() => undefined);
        return pull;
      },
      // `break` out of `for await` lands here.
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    try {
      while (!this.ended) {
        const event = this.page.shift();
        if (event) {
          this.checkpoint = event.position;
          return { done: false, value: event };
        }
        await this.readNextPage();
      }
      return { done: true, value: undefined };
    } catch (error) {
      await this.unsubscribe();
      throw error;
    }
  }

  private async readNextPage(): Promise<void> {
    this.woken = false;
    const page = await this.options.readPage(this.checkpoint, this.options.pageSize);
    if (this.ended) return;
    if (page.length > 0) this.page = page;
    else if (!this.woken) await this.waitForWakeOrPoll();
  }

  private waitForWakeOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.stopWaiting?.(), this.options.pollIntervalMs);
      this.stopWaiting = () => {
        clearTimeout(timer);
        this.stopWaiting = undefined;
        resolve();
      };
    });
  }
}
