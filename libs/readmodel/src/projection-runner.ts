import type { AllSubscription, EventStore, RecordedEvent } from '#eventstore';
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
    let behindSince: number | undefined;
    for await (const batch of logBatches(subscription, this.limits)) {
      const last = batch.at(-1);
      if (last === undefined) {
        // A quiet moment: store how far the events that changed nothing have taken it.
        await this.storeCheckpointIfBehind();
        continue;
      }
      const changed: ChangedDocument[] = [];
      if (await this.commitChanges(batch, changed)) {
        this.committed(last.position, batch.length);
        behindSince = undefined;
        for (const listener of this.listeners) listener(changed);
      } else {
        this.passed(last.position, batch.length);
        behindSince ??= performance.now();
        // Busy with events it ignores: the stored checkpoint still moves now and then, so that a
        // restart has little to read again.
        if (performance.now() - behindSince > MAX_CHECKPOINT_LAG_MS) {
          await this.storeCheckpointIfBehind();
          behindSince = undefined;
        }
      }
      if (this.stopped) break;
    }
  }

  /** Applies the batch and commits its changes with the checkpoint; false when there were none, and nothing was written. */
  private async commitChanges(batch: readonly RecordedEvent[], changed: ChangedDocument[]): Promise<boolean> {
    const next = batch[batch.length - 1].position;
    try {
      await this.readModel.commit(this.projection.name, { expected: this.checkpoint, next }, async (tx) => {
        const recording = recordingChanges(tx, changed);
        for (const event of batch) await this.projection.apply(event, recording);
        // Failing work writes nothing: an event the projection ignores costs no write.
        if (changed.length === 0) throw NOTHING_CHANGED;
      });
      return true;
    } catch (error) {
      if (error === NOTHING_CHANGED) return false;
      throw error;
    }
  }

  private async storeCheckpointIfBehind(): Promise<void> {
    const reached = this.aheadOfCheckpoint;
    if (reached === undefined) return;
    await this.readModel.commit(this.projection.name, { expected: this.checkpoint, next: reached }, async () => undefined);
    this.committed(reached, 0);
  }
}

/** Thrown inside the unit of work to leave it without writing: a batch of ignored events. */
const NOTHING_CHANGED = new Error('nothing changed');
/** How long the stored checkpoint may stay behind while only ignored events go by. */
const MAX_CHECKPOINT_LAG_MS = 1000;

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
