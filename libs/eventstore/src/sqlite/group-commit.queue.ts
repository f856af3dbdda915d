/** How one request of a batch ended; its neighbours' outcomes do not depend on it. */
export type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Writes a batch in one transaction and returns one outcome per request, in order. Throwing
 * means the transaction as a whole failed (nothing of the batch was committed).
 */
export type BatchWriter<Request, Result> = (requests: readonly Request[]) => Outcome<Result>[];

interface Waiting<Request, Result> {
  request: Request;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: requests submitted while a write is pending are written together, so a burst of
 * appends costs one transaction (one fsync) instead of one each. The writer is synchronous
 * (better-sqlite3), so a batch is whatever was queued when its turn came; requests submitted
 * later, including by code reacting to this batch's results, form the next one. Promises
 * settle only once the writer has returned, i.e. after COMMIT.
 */
export class GroupCommitQueue<Request, Result> {
  private waiting: Waiting<Request, Result>[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly writeBatch: BatchWriter<Request, Result>,
    private readonly maxBatchSize: number,
    /** Requests settled in one turn of the event loop at the most. */
    private readonly settleSlice = 32,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Writes everything queued right now, batch after batch (used when closing). */
  flushAll(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.waiting.length > 0) this.writeNextBatch();
  }

  /** setImmediate lets every append issued in the current turn of the event loop join the batch. */
  private schedule(): void {
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.writeNextBatch();
      if (this.waiting.length > 0) this.schedule();
    });
  }

  private writeNextBatch(): void {
    const batch = this.waiting.splice(0, this.maxBatchSize);
    let outcomes: Outcome<Result>[];
    try {
      outcomes = this.writeBatch(batch.map(({ request }) => request));
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    this.settle(batch, outcomes, 0);
  }

  /**
   * Settles `settleSlice` requests now and the rest in later turns: what each caller does next
   * runs as soon as its promise settles, and hundreds of those in one turn would keep new
   * connections and requests waiting behind them.
   */
  private settle(batch: Waiting<Request, Result>[], outcomes: Outcome<Result>[], from: number): void {
    const to = Math.min(from + this.settleSlice, batch.length);
    for (let index = from; index < to; index++) {
      const { resolve, reject } = batch[index];
      const outcome = outcomes[index];
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome ? outcome.error : new Error('The batch writer returned no outcome for this request'));
    }
    if (to < batch.length) setImmediate(() => this.settle(batch, outcomes, to));
  }
}
