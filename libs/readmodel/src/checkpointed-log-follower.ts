import { steppedBackoff } from '#backoff';
import type { AllSubscription, EventStore } from '#eventstore';
import { CheckpointConflictError, type ProjectionTransaction, type ReadModelStore } from './read-model-store.port.js';

export interface LogFollowerLogger {
  error(message: string): void;
  /** For what is no failure: another worker having taken events first. */
  log?(message: string): void;
}

export interface ProjectionStatus {
  position: string | undefined;
  appliedSinceStart: number;
  lastError?: string;
}

/** A document a commit wrote or deleted. */
export interface ChangedDocument {
  collection: string;
  id: string;
}

const retryDelayMs = steppedBackoff([100, 500, 1000, 5000]);
/** How long the stored checkpoint may stay behind while only events that change nothing go by. */
const MAX_CHECKPOINT_LAG_MS = 1000;
/** Thrown inside the unit of work to leave it without writing. */
const NOTHING_CHANGED = new Error('nothing changed');

/**
 * Follows the global log from a checkpoint stored in the read-model store: resumes after it,
 * catches up, then follows live; after a failure waits (longer each time in a row), re-reads the
 * stored checkpoint — another worker may have moved it — and follows again. What is done with
 * each event, and how its checkpoint is stored, is the subclass's `follow`.
 */
export abstract class CheckpointedLogFollower {
  /** The position stored as the checkpoint: what the next commit expects to find. */
  protected checkpoint: string | undefined;
  /** How far it has followed: past the checkpoint by events that needed nothing stored. */
  private reached: string | undefined;
  /** Since when the stored checkpoint has stayed behind `reached`. */
  private behindSince: number | undefined;
  protected stopped = false;
  private appliedSinceStart = 0;
  private failuresInARow = 0;
  private lastError: string | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private loop: Promise<void> | undefined;
  private wakeRetry: (() => void) | undefined;

  protected constructor(
    protected readonly eventStore: EventStore,
    protected readonly readModel: ReadModelStore,
    /** The checkpoint's name in the read-model store. */
    private readonly checkpointName: string,
    /** How log lines name what stopped, e.g. `Projection workflows`. */
    private readonly described: string,
    private readonly logger: LogFollowerLogger,
  ) {}

  /** Resolves once the stored checkpoint is loaded; following then runs in the background. */
  async start(): Promise<void> {
    this.checkpoint = await this.readModel.getCheckpoint(this.checkpointName);
    this.loop = this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRetry?.();
    await this.unsubscribe?.();
    await this.loop;
  }

  /** Where it stands; `lastError` is set while it is failing and retrying. */
  status(): ProjectionStatus {
    return {
      position: this.reached ?? this.checkpoint,
      appliedSinceStart: this.appliedSinceStart,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Handles the events of one subscription until it ends, is stopped, or something fails. */
  protected abstract follow(subscription: AllSubscription): Promise<void>;

  /**
   * Runs `work` in one read-model commit that moves the checkpoint to `next`, and returns the
   * documents it wrote or deleted. When it wrote none, nothing is stored — an event that changes
   * nothing costs no write — and the list is empty.
   */
  protected async commitChanges(next: string, work: (tx: ProjectionTransaction) => Promise<void>): Promise<ChangedDocument[]> {
    const changed: ChangedDocument[] = [];
    try {
      await this.readModel.commit(this.checkpointName, { expected: this.checkpoint, next }, async (tx) => {
        await work(recordingChanges(tx, changed));
        if (changed.length === 0) throw NOTHING_CHANGED;
      });
    } catch (error) {
      if (error !== NOTHING_CHANGED) throw error;
    }
    return changed;
  }

  /** Events up to `position` and its checkpoint are stored: progress, which also ends a run of failures. */
  protected committed(position: string, events: number): void {
    this.checkpoint = position;
    this.reached = undefined;
    this.behindSince = undefined;
    this.followed(events);
  }

  /**
   * Events up to `position` needed nothing stored: followed, with the stored checkpoint left
   * behind. While that goes on it is still stored now and then, so that a restart has little to
   * repeat.
   */
  protected async passed(position: string, events: number): Promise<void> {
    this.reached = position;
    this.followed(events);
    this.behindSince ??= performance.now();
    if (performance.now() - this.behindSince > MAX_CHECKPOINT_LAG_MS) await this.storeCheckpointIfBehind();
  }

  /** It has followed past the stored checkpoint, by events that needed nothing stored. */
  protected get isAheadOfCheckpoint(): boolean {
    return this.reached !== undefined;
  }

  /** Stores how far events that changed nothing have taken it, in a commit of its own: for a quiet moment. */
  protected async storeCheckpointIfBehind(): Promise<void> {
    const reached = this.reached;
    if (reached === undefined) return;
    await this.readModel.commit(this.checkpointName, { expected: this.checkpoint, next: reached }, async () => undefined);
    this.committed(reached, 0);
  }

  private followed(events: number): void {
    this.appliedSinceStart += events;
    this.failuresInARow = 0;
    this.lastError = undefined;
  }

  /**
   * Called once another worker is found to have moved the stored checkpoint, before following on
   * from there: what the events it skips changed is in the store now, not in what this one keeps
   * in memory of its own commits.
   */
  protected async overtaken(): Promise<void> {}

  private async runUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.followLog();
      } catch (error) {
        if (this.stopped) return;
        const message = (error as Error).message;
        // Two workers taking turns is how they are meant to run, not a failure to report.
        const overtaken = error instanceof CheckpointConflictError;
        // A failure right after the last one waits longer; progress in between starts over.
        this.failuresInARow += 1;
        const delay = overtaken ? retryDelayMs(1) : retryDelayMs(this.failuresInARow);
        if (overtaken) this.logger.log?.(`${this.described}: ${message}; following on from there`);
        else {
          this.lastError = message;
          this.logger.error(`${this.described} stopped at ${String(this.checkpoint)}: ${message}; retrying in ${delay} ms`);
        }
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          setTimeout(resolve, delay).unref();
        });
        // Another worker may have moved the checkpoint: start again from what is stored.
        const had = this.checkpoint;
        this.checkpoint = await this.readModel.getCheckpoint(this.checkpointName).catch(() => this.checkpoint);
        this.reached = undefined;
        this.behindSince = undefined;
        if (this.checkpoint !== had)
          await this.overtaken().catch((reloading: unknown) => {
            this.logger.error(`${this.described} could not reload what another worker stored: ${(reloading as Error).message}`);
            // Followed on without it, this worker would act on a state that is not the stored one.
            this.checkpoint = had;
          });
      }
    }
  }

  private async followLog(): Promise<void> {
    const subscription = this.eventStore.subscribeToAll({ after: this.reached ?? this.checkpoint });
    this.unsubscribe = () => subscription.unsubscribe();
    try {
      await this.follow(subscription);
    } finally {
      await subscription.unsubscribe();
    }
  }
}

/** The same transaction, noting each document written or deleted. */
const recordingChanges = (tx: ProjectionTransaction, changed: ChangedDocument[]): ProjectionTransaction => ({
  get: (collection, id) => tx.get(collection, id),
  put(collection, document) {
    tx.put(collection, document);
    changed.push({ collection, id: document.id });
  },
  delete(collection, id) {
    tx.delete(collection, id);
    changed.push({ collection, id });
  },
});
