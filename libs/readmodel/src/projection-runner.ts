import type { EventStore, RecordedEvent } from '#eventstore';
import type { Projection } from './projection.js';
import type { ReadModelStore } from './read-model-store.port.js';

export interface ProjectionRunnerLogger {
  error(message: string): void;
}

export interface ProjectionStatus {
  position: string | undefined;
  appliedSinceStart: number;
  lastError?: string;
}

const RETRY_DELAYS_MS = [100, 500, 1000, 5000];

/**
 * Feeds one projection from the global log: resumes after its stored checkpoint, catches up, then
 * follows live. Each event is applied and checkpointed in one read-model commit, so a crash at any
 * instant neither loses nor double-applies an event.
 */
export class ProjectionRunner {
  private checkpoint: string | undefined;
  private appliedSinceStart = 0;
  private stopped = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private loop: Promise<void> | undefined;
  private wakeRetry: (() => void) | undefined;
  private failuresInARow = 0;
  private lastError: string | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModel: ReadModelStore,
    readonly projection: Projection,
    private readonly logger: ProjectionRunnerLogger,
    /** Told of every event once its changes and checkpoint are stored. */
    private readonly afterCommit: (event: RecordedEvent) => void = () => undefined,
  ) {}

  /** Resolves once the stored checkpoint is loaded; the projection then runs in the background. */
  async start(): Promise<void> {
    this.checkpoint = await this.readModel.getCheckpoint(this.projection.name);
    this.loop = this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRetry?.();
    await this.unsubscribe?.();
    await this.loop;
  }

  /** Where the projection stands; `lastError` is set while it is failing and retrying. */
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
        // A failure right after the last one waits longer; progress in between starts over.
        const delay = RETRY_DELAYS_MS[Math.min(this.failuresInARow, RETRY_DELAYS_MS.length - 1)];
        this.failuresInARow += 1;
        this.lastError = (error as Error).message;
        this.logger.error(
          `Projection ${this.projection.name} stopped at ${String(this.checkpoint)}: ${(error as Error).message}; retrying in ${delay} ms`,
        );
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          setTimeout(resolve, delay).unref();
        });
        // Another worker may have moved the checkpoint: start again from what is stored.
        this.checkpoint = await this.readModel.getCheckpoint(this.projection.name).catch(() => this.checkpoint);
      }
    }
  }

  private async followLog(): Promise<void> {
    const subscription = this.eventStore.subscribeToAll({ after: this.checkpoint });
    this.unsubscribe = () => subscription.unsubscribe();
    try {
      for await (const event of subscription) {
        await this.readModel.commit(
          this.projection.name,
          { expected: this.checkpoint, next: event.position },
          (tx) => this.projection.apply(event, tx),
        );
        this.checkpoint = event.position;
        this.afterCommit(event);
        this.appliedSinceStart += 1;
        this.failuresInARow = 0;
        this.lastError = undefined;
        if (this.stopped) break;
      }
    } finally {
      await subscription.unsubscribe();
    }
  }
}
