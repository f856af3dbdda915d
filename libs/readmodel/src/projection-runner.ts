import type { AllSubscription, EventStore } from '#eventstore';
import { CheckpointedLogFollower, type LogFollowerLogger } from './checkpointed-log-follower.js';
import { type LogBatchLimits, logBatches } from './log-batches.js';
import type { Projection } from './projection.js';
import type { ProjectionTransaction, ReadModelStore } from './read-model-store.port.js';

export type { ProjectionStatus } from './checkpointed-log-follower.js';
export type ProjectionRunnerLogger = LogFollowerLogger;

/** A document a commit wrote or deleted. */
export interface ChangedDocument {
  collection: string;
  id: string;
}

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
      if (last === undefined) continue;
      const changed: ChangedDocument[] = [];
      await this.readModel.commit(this.projection.name, { expected: this.checkpoint, next: last.position }, async (tx) => {
        const recording = recordingChanges(tx, changed);
        for (const event of batch) await this.projection.apply(event, recording);
      });
      this.committed(last.position, batch.length);
      for (const listener of this.listeners) listener(changed);
      if (this.stopped) break;
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
