import { steppedBackoff } from '#backoff';
import type { AllSubscription, EventStore } from '#eventstore';
import type { ReadModelStore } from './read-model-store.port.js';

export interface LogFollowerLogger {
  error(message: string): void;
}

export interface ProjectionStatus {
  position: string | undefined;
  appliedSinceStart: number;
  lastError?: string;
}

const retryDelayMs = steppedBackoff([100, 500, 1000, 5000]);

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

  /** Events up to `position` and its checkpoint are stored: progress, which also ends a run of failures. */
  protected committed(position: string, events: number): void {
    this.checkpoint = position;
    this.reached = undefined;
    this.followed(events);
  }

  /** Events up to `position` needed nothing stored: followed, with the checkpoint left behind. */
  protected passed(position: string, events: number): void {
    this.reached = position;
    this.followed(events);
  }

  /** Where it has followed to, when that is past the stored checkpoint. */
  protected get aheadOfCheckpoint(): string | undefined {
    return this.reached;
  }

  private followed(events: number): void {
    this.appliedSinceStart += events;
    this.failuresInARow = 0;
    this.lastError = undefined;
  }

  private async runUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.followLog();
      } catch (error) {
        if (this.stopped) return;
        // A failure right after the last one waits longer; progress in between starts over.
        this.failuresInARow += 1;
        const delay = retryDelayMs(this.failuresInARow);
        this.lastError = (error as Error).message;
        this.logger.error(`${this.described} stopped at ${String(this.checkpoint)}: ${this.lastError}; retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          setTimeout(resolve, delay).unref();
        });
        // Another worker may have moved the checkpoint: start again from what is stored.
        this.checkpoint = await this.readModel.getCheckpoint(this.checkpointName).catch(() => this.checkpoint);
        this.reached = undefined;
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
