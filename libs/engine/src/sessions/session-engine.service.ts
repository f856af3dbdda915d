import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { CHANNEL_REGISTRY, type ChannelRegistry } from '#channels';
import { CorruptStreamError, DomainError } from '#domain';
import {
  BackendUnreachableError,
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '#eventstore';
import { ConcurrentModificationError } from '../command-handling/event-sourced-command.js';
import { type ProjectionStatus, READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { ChannelSessionAdmission, type OpenSessionChange, type SessionCapsStatus } from './channel-session-admission.js';
import { DeferredWorkScheduler } from './deferred-work.scheduler.js';
import { LoggedEvent } from './logged-event.js';
import { ReactionPipeline } from './reaction-pipeline.js';
import {
  type PendingWork,
  SESSION_ENGINE_PROJECTION,
  type WorkChange,
  applyToSessionEngineState,
} from './session-engine-state.projection.js';
import { REACTIONS_TO_ENGINE_STATE, SessionSaga } from './session.saga.js';

/**
 * A reaction failing for a reason that is neither the domain's nor the stores' (a defect) is
 * tried again after these delays, then given up and logged: later events of the same stream wait
 * for it, so it must not hold them up for long.
 */
export const REACTION_RETRY_DELAYS_MS = [100, 1000];

/**
 * Runs the sessions: follows the log from its own checkpoint and hands each event to the session
 * saga — events of different streams at the same time, those of one stream in order — and, in
 * log order, once every command an event caused has completed, stores the engine's state and the
 * checkpoint together. A crash at any instant repeats at most the reactions to the events after
 * the checkpoint, which are idempotent. Two engine processes are safe (the checkpoint is compared
 * and set) but do the same work twice; one that finds the other has committed further loads the
 * owed work and session counts again from the stored state, so either carries on alone.
 */
@Injectable()
export class SessionEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionEngine');
  private readonly runner: ReactionPipeline;
  private readonly scheduler: DeferredWorkScheduler;
  private starting: Promise<void> | undefined;
  private shuttingDown = false;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    private readonly saga: SessionSaga,
    private readonly events: EventBus,
    commands: CommandBus,
    @Inject(CHANNEL_REGISTRY) channels: ChannelRegistry,
    private readonly admission: ChannelSessionAdmission,
  ) {
    const scheduler = new DeferredWorkScheduler(readModel, (command) => commands.execute(command), this.logger);
    this.scheduler = scheduler;
    this.runner = new ReactionPipeline(
      eventStore,
      readModel,
      {
        name: SESSION_ENGINE_PROJECTION,
        react: (event) => this.react(event),
        record: async (events, tx) => {
          const changes: WorkChange[] = [];
          const openSessions: OpenSessionChange[] = [];
          for (const event of events) changes.push(...(await applyToSessionEngineState(event, tx, channels, openSessions)));
          // Handed to the scheduler once stored: owed work is never ahead of the engine's state.
          return () => {
            scheduler.apply(changes);
            admission.followCommit(events, openSessions);
          };
        },
        isBarrier: (event) => REACTIONS_TO_ENGINE_STATE.has(event.type),
        reload: async () => {
          await scheduler.reload();
          await admission.load(readModel);
        },
      },
      this.logger,
    );
  }

  /**
   * @nestjs/cqrs subscribes sagas in a bootstrap hook of its own, which may run after this one:
   * the engine starts once the saga listens, without holding up the other hooks meanwhile.
   */
  onApplicationBootstrap(): void {
    // The saga goes first at shutdown (with the EventBus's module): the engine stops with it, so
    // that no event is taken as reacted to while nothing listens.
    void this.saga.unsubscribed.then(() => this.stopFollowing());
    this.starting = this.saga.registered.then(async () => {
      if (this.shuttingDown) return;
      await this.scheduler.start();
      await this.admission.load(this.readModel);
      await this.runner.start();
    });
    this.starting.catch((error: unknown) => this.logger.error(`The session engine did not start: ${(error as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopFollowing();
    await this.scheduler.stop();
  }

  private async stopFollowing(): Promise<void> {
    this.shuttingDown = true;
    // A start under way finishes first, so that what it started is stopped.
    if (this.saga.isRegistered) await this.starting?.catch(() => undefined);
    await this.runner.stop();
  }

  status(): ProjectionStatus & { pendingWork: number; sessionCaps: SessionCapsStatus } {
    return { ...this.runner.status(), pendingWork: this.scheduler.pending, sessionCaps: this.admission.status() };
  }

  /** The timers, AI agent requests and deliveries owed now, by kind. */
  owedWork(): Record<PendingWork['kind'], number> {
    return this.scheduler.owedByKind();
  }

  /**
   * One failing session must not hold up the others: a reaction the domain refuses is given up at
   * once, any other failure after its retries. A failure of the stores themselves is thrown, so
   * the engine stops at this event and retries it until the stores are back: nothing is skipped.
   */
  private async react(event: RecordedEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const logged = new LoggedEvent(event);
      this.events.publish(logged);
      // Published after the saga was unsubscribed, it reached nothing: not reacted to, so not passed.
      if (!this.saga.isListening) throw new Error(`The session saga no longer listens (shutting down): ${event.type} ${event.id} waits`);
      const outcomes = await Promise.allSettled(logged.issued.map((command) => command.completion));
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
      if (failures.length === 0) return;
      const transient = failures.find(isStoreFailure);
      if (transient !== undefined) throw transient;
      const [failure] = failures;
      const delay = failures.every(isRefusedByDomain) ? undefined : REACTION_RETRY_DELAYS_MS[attempt];
      const what = `${event.type} ${event.id} of ${event.streamName}`;
      if (delay === undefined) {
        this.logger.error(`Gave up reacting to ${what}: ${failure.message}`);
        return;
      }
      this.logger.warn(`Reacting to ${what} failed: ${failure.message}; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

const isRefusedByDomain = (error: Error): boolean => error instanceof DomainError || error instanceof CorruptStreamError;

/**
 * The stores' own failures: unreachable, busy, or a stream that kept changing. Each adapter wraps
 * its driver's outages in `StoreUnavailableError`; any other error, `code` or not, is a defect.
 */
export const isStoreFailure = (error: Error): boolean =>
  error instanceof BackendUnreachableError ||
  error instanceof StoreUnavailableError ||
  error instanceof ConcurrentModificationError ||
  error instanceof WrongExpectedRevisionError;
