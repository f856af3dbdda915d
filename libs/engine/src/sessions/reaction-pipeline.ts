import type { EventStore, RecordedEvent } from '#eventstore';
import type { ProjectionStatus, ReadModelStore } from '#readmodel';

export interface ReactionPipelineSteps {
  /** The checkpoint's name in the read-model store. */
  name: string;
  /** Everything the event causes; rejects only when it must be tried again from the checkpoint. */
  react(event: RecordedEvent): Promise<void>;
  /** Stores what the event changes beside the checkpoint, compared and set from `expected`. */
  commit(event: RecordedEvent, expected: string | undefined): Promise<void>;
  /** Reactions that read state built from every earlier event; they wait for all of it, and all later reactions wait for them. */
  isBarrier(event: RecordedEvent): boolean;
}

export interface ReactionPipelineLogger {
  error(message: string): void;
}

/** Reactions started ahead of the checkpoint, at most. */
const WINDOW = 128;
const RETRY_DELAYS_MS = [100, 500, 1000, 5000];

interface InFlight {
  event: RecordedEvent;
  reaction: Promise<void>;
}

/**
 * Follows the log from a checkpoint and reacts to every event, as the session engine does — but
 * with the reactions to different streams running at the same time: those of one stream (one
 * conversation, one session, one channel) run one after another in log order, a barrier event's
 * runs alone. Commits stay in log order, each after its own reaction, so the checkpoint only ever
 * passes events whose reactions have completed, and a crash repeats at most the reactions after
 * it, which are idempotent.
 */
export class ReactionPipeline {
  private checkpoint: string | undefined;
  private appliedSinceStart = 0;
  private lastError: string | undefined;
  private failuresInARow = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private stopFollowing: (() => Promise<void>) | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModel: ReadModelStore,
    private readonly steps: ReactionPipelineSteps,
    private readonly logger: ReactionPipelineLogger,
  ) {}

  async start(): Promise<void> {
    this.checkpoint = await this.readModel.getCheckpoint(this.steps.name);
    this.loop = this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRetry?.();
    await this.stopFollowing?.();
    await this.loop;
  }

  status(): ProjectionStatus {
    return {
      position: this.checkpoint,
      appliedSinceStart: this.appliedSinceStart,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private async runUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.followLog();
      } catch (error) {
        if (this.stopped) return;
        const delay = RETRY_DELAYS_MS[Math.min(this.failuresInARow, RETRY_DELAYS_MS.length - 1)];
        this.failuresInARow += 1;
        this.lastError = (error as Error).message;
        this.logger.error(`${this.steps.name} stopped at ${String(this.checkpoint)}: ${this.lastError}; retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          setTimeout(resolve, delay).unref();
        });
        // Another worker may have moved the checkpoint: start again from what is stored.
        this.checkpoint = await this.readModel.getCheckpoint(this.steps.name).catch(() => this.checkpoint);
      }
    }
  }

  /** One run: reacts ahead while committing in order, until stopped or until something fails. */
  private async followLog(): Promise<void> {
    const subscription = this.eventStore.subscribeToAll({ after: this.checkpoint });
    this.stopFollowing = () => subscription.unsubscribe();
    const queue: InFlight[] = [];
    const progress = new Progress();
    const streamTails = new Map<string, Promise<void>>();
    let barrier: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    let following = true;
    let queued = 0;

    const committer = (async () => {
      while (!this.stopped && failure === undefined) {
        const head = queue[0];
        if (head === undefined) {
          if (!following) return;
          await progress.next();
          continue;
        }
        try {
          await head.reaction;
          await this.steps.commit(head.event, this.checkpoint);
        } catch (error) {
          failure = { error };
          await subscription.unsubscribe();
          return;
        }
        queue.shift();
        this.checkpoint = head.event.position;
        this.appliedSinceStart += 1;
        this.failuresInARow = 0;
        this.lastError = undefined;
        progress.committed();
      }
    })();

    try {
      for await (const event of subscription) {
        if (this.stopped || failure !== undefined) break;
        while (queue.length >= WINDOW && failure === undefined && !this.stopped) await progress.next();
        const { streamName } = event;
        const isBarrier = this.steps.isBarrier(event);
        const waitFor = isBarrier ? [barrier, progress.whenCommitted(queued)] : [barrier, streamTails.get(streamName)];
        const reaction = Promise.all(waitFor).then(() => this.steps.react(event));
        const settled = reaction.then(
          () => undefined,
          () => undefined,
        );
        if (isBarrier) {
          barrier = settled;
        } else {
          streamTails.set(streamName, settled);
          void settled.then(() => {
            if (streamTails.get(streamName) === settled) streamTails.delete(streamName);
          });
        }
        queue.push({ event, reaction });
        queued += 1;
        progress.queued();
      }
    } finally {
      following = false;
      progress.queued();
      await subscription.unsubscribe();
      await committer;
      // Reactions still running finish before the next run repeats them.
      await Promise.allSettled(queue.map(({ reaction }) => reaction));
    }
    if (failure !== undefined) throw failure.error;
  }
}

/** What the two halves of a run wait on: something queued or committed, or a count of commits. */
class Progress {
  private waiters: (() => void)[] = [];
  private commitWaiters: { count: number; resolve: () => void }[] = [];
  private commits = 0;

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once `count` events of this run have been committed. */
  whenCommitted(count: number): Promise<void> {
    if (this.commits >= count) return Promise.resolve();
    return new Promise((resolve) => this.commitWaiters.push({ count, resolve }));
  }

  queued(): void {
    this.wakeAll();
  }

  committed(): void {
    this.commits += 1;
    const due = this.commitWaiters.filter(({ count }) => count <= this.commits);
    this.commitWaiters = this.commitWaiters.filter(({ count }) => count > this.commits);
    for (const { resolve } of due) resolve();
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
