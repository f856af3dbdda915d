import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#eventstore';
import {
  type Projection,
  ProjectionRunner,
  READ_MODEL_STORE,
  type ReadModelStore,
  type ProjectionStatus,
  workflowsProjection,
} from '#readmodel';

export const PROJECTIONS: readonly Projection[] = [workflowsProjection];

/** Runs every projection in the background from its checkpoint for as long as the server lives. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_MODEL_STORE) readModel: ReadModelStore,
  ) {
    this.runners = PROJECTIONS.map((projection) => new ProjectionRunner(eventStore, readModel, projection, this.logger));
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
