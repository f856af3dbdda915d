import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#eventstore';
import { type Projection, ProjectionRunner, type ProjectionStatus, READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { DeferredWorkScheduler } from './deferred-work.scheduler.js';
import { LoggedEvent } from './logged-event.js';
import { SESSION_ENGINE_PROJECTION, applyToSessionEngineState } from './session-engine-state.projection.js';
import { SessionSaga } from './session.saga.js';

/** A failed reaction is tried again after these delays, then given up (and logged) so the others go on. */
export const REACTION_RETRY_DELAYS_MS = [100, 1000, 5000];

/**
 * Runs the sessions: follows the log from its own checkpoint and, event by event, hands each to
 * the session saga, waits until every command it caused has completed, then stores the engine's
 * state and the checkpoint together. A crash at any instant repeats at most the reactions to
 * the events after the checkpoint, which are idempotent. Two engine processes are safe (the
 * checkpoint is compared and set) but do the same work twice.
 */
@Injectable()
export class SessionEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionEngine');
  private readonly runner: ProjectionRunner;
  private readonly scheduler: DeferredWorkScheduler;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_MODEL_STORE) readModel: ReadModelStore,
    private readonly saga: SessionSaga,
    private readonly events: EventBus,
    commands: CommandBus,
  ) {
    const scheduler = new DeferredWorkScheduler(readModel, (command) => commands.execute(command), this.logger);
    const engine: Projection = {
      name: SESSION_ENGINE_PROJECTION,
      apply: async (event, tx) => {
        await this.react(event);
        await applyToSessionEngineState(event, tx);
      },
    };
    this.scheduler = scheduler;
    this.runner = new ProjectionRunner(eventStore, readModel, engine, this.logger, (event) => scheduler.observe(event));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.saga.registered;
    await this.scheduler.start();
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.scheduler.stop();
  }

  status(): ProjectionStatus & { pendingWork: number } {
    return { ...this.runner.status(), pendingWork: this.scheduler.pending };
  }

  /** One failing session must not hold up the others: after its retries, its reaction is given up. */
  private async react(event: RecordedEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const logged = new LoggedEvent(event);
      this.events.publish(logged);
      const outcomes = await Promise.allSettled(logged.issued.map((command) => command.completion));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure === undefined) return;
      const reason = (failure.reason as Error).message;
      const delay = REACTION_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        this.logger.error(`Gave up reacting to ${event.type} ${event.id} of ${event.streamName}: ${reason}`);
        return;
      }
      this.logger.warn(`Reacting to ${event.type} ${event.id} of ${event.streamName} failed: ${reason}; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
