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
    batch.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome ? outcome.error : new Error('The batch writer returned no outcome for this request'));
    });
  }
}
