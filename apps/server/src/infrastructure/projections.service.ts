import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { ProjectionRunner, READ_MODEL_STORE, type ReadModelStore, type ProjectionStatus } from '#readmodel';
import { READ_MODEL_PROJECTIONS } from '#platform';
import { ReadModelChanges } from './read-model-changes.service.js';

/** True in a process with the `projections` role. */
export const PROJECTION_RUNNERS_ENABLED = Symbol('PROJECTION_RUNNERS_ENABLED');

/**
 * In a `projections` process, runs every projection in the background from its checkpoint for as
 * long as the server lives. Two such processes are safe: the stored checkpoint is compared and
 * set in the same commit as the changes, so one of them loses each race and re-reads.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_MODEL_STORE) readModel: ReadModelStore,
    @Inject(PROJECTION_RUNNERS_ENABLED) enabled: boolean,
    changes: ReadModelChanges,
  ) {
    this.runners = enabled
      ? READ_MODEL_PROJECTIONS.map((projection) => new ProjectionRunner(eventStore, readModel, projection, this.logger))
      : [];
    for (const runner of this.runners) changes.follow(runner);
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  status(): Record<string, ProjectionStatus> {
    return Object.fromEntries(this.runners.map((runner) => [runner.projection.name, runner.status()]));
  }
}
