import type { AllSubscription, EventStore, RecordedEvent } from '#eventstore';
import { CheckpointedLogFollower, type LogFollowerLogger, type ProjectionTransaction, type ReadModelStore } from '#readmodel';

export interface ReactionPipelineSteps {
  /** The checkpoint's name in the read-model store. */
  name: string;
  /** Everything the event causes; rejects only when it must be tried again from the checkpoint. */
  react(event: RecordedEvent): Promise<void>;
  /**
   * Writes to `tx` what the events change, in log order; the pipeline commits that with the
   * checkpoint of the last one, or stores nothing when nothing was written. Returns what to do
   * once that is done.
   */
  record(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<() => void>;
  /** Reactions that read state built from every earlier event; they wait for all of it, and all later reactions wait for them. */
  isBarrier(event: RecordedEvent): boolean;
  /** Loads again what `record`'s afterwards keep in memory: another worker committed events this one then skips. */
  reload(): Promise<void>;
}

/** Reactions started ahead of the checkpoint, at most. */
const WINDOW = 128;
/** How long starting reactions may run before other work gets a turn, in ms. */
const TURN_BUDGET_MS = 5;
/** Events committed together at the most: those whose reactions completed while earlier ones ran. */
const MAX_EVENTS_PER_COMMIT = 500;
/** How long the queue stays empty before a checkpoint left behind by events that changed nothing is stored. */
const QUIET_MS = 100;

interface InFlight {
  event: RecordedEvent;
  reaction: Promise<void>;
  /** Its reaction has completed: it may commit with an earlier one. */
  reacted: boolean;
}

/**
 * Follows the log from a checkpoint and reacts to every event, as the session engine does — but
 * with the reactions to different streams running at the same time: those of one stream (one
 * conversation, one session, one channel) run one after another in log order, a barrier event's
 * runs alone. Commits stay in log order, each after its own reaction, so the checkpoint only ever
 * passes events whose reactions have completed, and a crash repeats at most the reactions after
 * it, which are idempotent.
 */
export class ReactionPipeline extends CheckpointedLogFollower {
  constructor(
    eventStore: EventStore,
    readModel: ReadModelStore,
    private readonly steps: ReactionPipelineSteps,
    logger: LogFollowerLogger,
  ) {
    super(eventStore, readModel, steps.name, steps.name, logger);
  }

  protected override overtaken(): Promise<void> {
    return this.steps.reload();
  }

  /** One run: reacts ahead while committing in order, until stopped or until something fails. */
  protected async follow(subscription: AllSubscription): Promise<void> {
    const queue: InFlight[] = [];
    const progress = new Progress();
    const streamTails = new Map<string, Promise<void>>();
    let barrier: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    let following = true;
    let queued = 0;
    let turnStartedAt = performance.now();

    const committer = (async () => {
      while (!this.stopped && failure === undefined) {
        const head = queue[0];
        try {
          if (head === undefined) {
            if (!following) return;
            // A quiet moment: store how far the events that changed nothing have taken it.
            if (!this.isAheadOfCheckpoint) await progress.next();
            else if (!(await progress.next(QUIET_MS))) await this.storeCheckpointIfBehind();
            continue;
          }
          await head.reaction;
          let count = 1;
          while (count < MAX_EVENTS_PER_COMMIT && queue[count]?.reacted) count += 1;
          const events = queue.slice(0, count).map(({ event }) => event);
          const { position } = events[count - 1];
          let afterwards = () => undefined as void;
          const changed = await this.commitChanges(position, async (tx) => {
            afterwards = await this.steps.record(events, tx);
          });
          afterwards();
          queue.splice(0, count);
          if (changed.length > 0) this.committed(position, count);
          else await this.passed(position, count);
          progress.committed(count);
        } catch (error) {
          failure = { error };
          await subscription.unsubscribe();
          return;
        }
      }
    })();

    try {
      for await (const event of subscription) {
        if (this.stopped || failure !== undefined) break;
        while (queue.length >= WINDOW && failure === undefined && !this.stopped) await progress.next();
        const { streamName } = event;
        const isBarrier = this.steps.isBarrier(event);
        const waitFor = isBarrier ? [barrier, progress.whenCommitted(queued)] : [barrier, streamTails.get(streamName) ?? barrier];
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
        const inFlight: InFlight = { event, reaction, reacted: false };
        void reaction.then(
          () => (inFlight.reacted = true),
          () => undefined,
        );
        queue.push(inFlight);
        queued += 1;
        progress.queued();
        // Starting reactions is synchronous up to their first wait: give requests a turn now and then.
        if (performance.now() - turnStartedAt > TURN_BUDGET_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          turnStartedAt = performance.now();
        }
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

  /** Resolves with true on the next change, or with false after `quietMs` without one. */
  next(quietMs = Infinity): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = Number.isFinite(quietMs)
        ? setTimeout(() => {
            this.waiters = this.waiters.filter((waiter) => waiter !== wake);
            resolve(false);
          }, quietMs)
        : undefined;
      this.waiters.push(wake);
    });
  }

  /** Resolves once `count` events of this run have been committed. */
  whenCommitted(count: number): Promise<void> {
    if (this.commits >= count) return Promise.resolve();
    return new Promise((resolve) => this.commitWaiters.push({ count, resolve }));
  }

  queued(): void {
    this.wakeAll();
  }

  committed(events: number): void {
    this.commits += events;
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
