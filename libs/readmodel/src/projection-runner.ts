import type { AllSubscription, EventStore } from '#eventstore';
import { CheckpointedLogFollower, type LogFollowerLogger } from './checkpointed-log-follower.js';
import type { Projection } from './projection.js';
import type { ReadModelStore } from './read-model-store.port.js';

export type { ProjectionStatus } from './checkpointed-log-follower.js';
export type ProjectionRunnerLogger = LogFollowerLogger;

/**
 * Feeds one projection from the global log. Each event is applied and checkpointed in one
 * read-model commit, so a crash at any instant neither loses nor double-applies an event.
 */
export class ProjectionRunner extends CheckpointedLogFollower {
  constructor(
    eventStore: EventStore,
    readModel: ReadModelStore,
    readonly projection: Projection,
    logger: ProjectionRunnerLogger,
  ) {
    super(eventStore, readModel, projection.name, `Projection ${projection.name}`, logger);
  }

  protected async follow(subscription: AllSubscription): Promise<void> {
    for await (const event of subscription) {
      await this.readModel.commit(this.projection.name, { expected: this.checkpoint, next: event.position }, (tx) =>
        this.projection.apply(event, tx),
      );
      this.committed(event.position);
      if (this.stopped) break;
    }
  }
}
