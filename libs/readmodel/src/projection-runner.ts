import type { AllSubscription, EventStore } from '#eventstore';
import { type ChangedDocument, CheckpointedLogFollower, type LogFollowerLogger } from './checkpointed-log-follower.js';
import { type LogBatchLimits, logBatches } from './log-batches.js';
import type { Projection } from './projection.js';
import type { ReadModelStore } from './read-model-store.port.js';

export type { ChangedDocument, ProjectionStatus } from './checkpointed-log-follower.js';
export type ProjectionRunnerLogger = LogFollowerLogger;

export type CommitListener = (changed: readonly ChangedDocument[]) => void;

/**
 * A page of events per commit: one transaction instead of one per event, short enough (in count
 * and time) that no request waits long behind it.
 */
export const PROJECTION_BATCH_LIMITS: LogBatchLimits = { maxEvents: 500, maxMs: 20, idleMs: 100 };

/**
 * Feeds one projection from the global log. Each batch of events is applied and checkpointed in
 * one read-model commit, so a crash at any instant neither loses nor double-applies an event;
 * after each commit, listeners learn which documents it changed.
 */
export class ProjectionRunner extends CheckpointedLogFollower {
  private readonly listeners = new Set<CommitListener>();

  constructor(
    eventStore: EventStore,
    readModel: ReadModelStore,
    readonly projection: Projection,
    logger: ProjectionRunnerLogger,
    private readonly limits: LogBatchLimits = PROJECTION_BATCH_LIMITS,
  ) {
    super(eventStore, readModel, projection.name, `Projection ${projection.name}`, logger);
  }

  /** Calls `listener` after every commit with the documents it changed; returns how to stop. */
  onCommitted(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected async follow(subscription: AllSubscription): Promise<void> {
    for await (const batch of logBatches(subscription, this.limits)) {
      const last = batch.at(-1);
      if (last === undefined) {
        // A quiet moment: store how far the events that changed nothing have taken it.
        await this.storeCheckpointIfBehind();
        continue;
      }
      const changed = await this.commitChanges(last.position, async (tx) => {
        for (const event of batch) await this.projection.apply(event, tx);
      });
      if (changed.length > 0) {
        this.committed(last.position, batch.length);
        for (const listener of this.listeners) listener(changed);
      } else {
        await this.passed(last.position, batch.length);
      }
      if (this.stopped) break;
    }
  }
}
