import { exponentialBackoff, steppedBackoff } from '#backoff';
import type { AllSubscription, EventStore, RecordedEvent } from '#eventstore';
import {
  type ReadModelStore,
  WORKFLOW_CARD_EVENT_TYPES,
  WORKFLOW_CARDS_COLLECTION,
  WORKFLOWS_PROJECTION,
  type WorkflowCard,
} from '#readmodel';
import { toCardView } from '../workflow-queries.service.js';
import type { WorkspaceCardChange } from './card-change.js';

/** The events the card projection reacts to; each names its workflow in `data.workflowId`. */
const CARD_EVENT_TYPES: ReadonlySet<string> = new Set(WORKFLOW_CARD_EVENT_TYPES);

/** Past this, a card is read whatever the projection has: only a failing projection lags so long. */
export const PROJECTION_WAIT_LIMIT_MS = 5000;
const FIRST_POLL_DELAY_MS = 10;
const MAX_POLL_DELAY_MS = 200;

export interface CardLogFollowerLogger {
  warn(message: string): void;
}

interface TouchedCard {
  workspace: string;
  workflowId: string;
  /** Whether the workflow's deletion is among the events: only then is a missing card news. */
  deleted: boolean;
}

const retryDelay = steppedBackoff([100, 500, 1000, 5000]);
const pollDelay = exponentialBackoff({ firstMs: FIRST_POLL_DELAY_MS, maxMs: MAX_POLL_DELAY_MS });

/** Resolves after `ms`, or at once when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Follows the log and publishes each card that an event touched, as the workflows projection has
 * it once it has applied that event. Two loops share a map of touched cards: one fills it from the
 * log, the other takes all of it at once, waits for the projection to pass the last event taken,
 * then reads each card. Events for a card that arrive during that wait are coalesced, so a burst
 * costs one wait and one read per card, and a stalled projection one timeout per batch.
 */
export class CardLogFollower {
  /** Resolves once the start position is fixed: a snapshot read after it misses no later change. */
  readonly started: Promise<void>;
  private markStarted!: () => void;
  private readonly stopping = new AbortController();
  private subscription: AllSubscription | undefined;
  private touched = new Map<string, TouchedCard>();
  private touchedUpTo: string | undefined;
  private wakePublisher: (() => void) | undefined;
  private readonly running: Promise<unknown>;

  private constructor(
    private readonly eventStore: EventStore,
    private readonly readModel: ReadModelStore,
    private readonly publish: (change: WorkspaceCardChange) => void,
    private readonly logger: CardLogFollowerLogger,
  ) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.running = Promise.all([this.followLog(), this.publishTouchedCards()]);
  }

  static start(
    eventStore: EventStore,
    readModel: ReadModelStore,
    publish: (change: WorkspaceCardChange) => void,
    logger: CardLogFollowerLogger,
  ): CardLogFollower {
    return new CardLogFollower(eventStore, readModel, publish, logger);
  }

  /** Ends both loops; nothing is published once this is called. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.markStarted();
    this.wakePublisher?.();
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async followLog(): Promise<void> {
    // The projection's checkpoint, not the head: a snapshot read now may not show the events after
    // it yet, so those must be followed too. Undefined (never ran) follows from the beginning.
    let after: string | undefined;
    let positioned = false;
    let failuresInARow = 0;
    while (!this.stopped) {
      try {
        if (!positioned) {
          after = await this.readModel.getCheckpoint(WORKFLOWS_PROJECTION);
          positioned = true;
          this.markStarted();
        }
        if (this.stopped) return;
        const subscription = this.eventStore.subscribeToAll({ after });
        this.subscription = subscription;
        try {
          for await (const event of subscription) {
            after = event.position;
            failuresInARow = 0;
            this.note(event);
          }
        } finally {
          await subscription.unsubscribe();
        }
        if (!this.stopped) throw new Error('the subscription ended by itself');
      } catch (error) {
        if (this.stopped) return;
        failuresInARow += 1;
        const delay = retryDelay(failuresInARow);
        this.logger.warn(`Following the event log for live cards failed: ${(error as Error).message}; retrying in ${delay} ms`);
        await pause(delay, this.stopping.signal);
      }
    }
  }

  private note(event: RecordedEvent): void {
    if (!CARD_EVENT_TYPES.has(event.type)) return;
    const workflowId = event.data.workflowId;
    const workspace = event.metadata.workspace;
    if (typeof workflowId !== 'string' || typeof workspace !== 'string') return;
    this.touch(JSON.stringify([workspace, workflowId]), { workspace, workflowId, deleted: event.type === 'WorkflowDeleted' });
    this.touchedUpTo = event.position;
    const wake = this.wakePublisher;
    this.wakePublisher = undefined;
    wake?.();
  }

  /** Marks a card to publish; once its deletion was among the events, it stays marked deleted. */
  private touch(key: string, card: TouchedCard): void {
    this.touched.set(key, { ...card, deleted: card.deleted || (this.touched.get(key)?.deleted ?? false) });
  }

  private async publishTouchedCards(): Promise<void> {
    let failuresInARow = 0;
    while (!this.stopped) {
      const upTo = this.touchedUpTo;
      if (this.touched.size === 0 || upTo === undefined) {
        await new Promise<void>((resolve) => (this.wakePublisher = resolve));
        continue;
      }
      const batch = this.touched;
      this.touched = new Map();
      try {
        await this.projectionPassed(upTo);
        for (const touched of batch.values()) {
          const change = await this.readChange(touched);
          if (this.stopped) return;
          if (change) this.publish(change);
        }
        failuresInARow = 0;
      } catch (error) {
        if (this.stopped) return;
        // Taken up again with the next batch; publishing a card twice is harmless.
        for (const [key, touched] of batch) this.touch(key, touched);
        failuresInARow += 1;
        const delay = retryDelay(failuresInARow);
        this.logger.warn(`Reading live cards failed: ${(error as Error).message}; retrying in ${delay} ms`);
        await pause(delay, this.stopping.signal);
      }
    }
  }

  /** Polls the stored checkpoint like `?consistentWith=`, so it works whichever process projects. */
  private async projectionPassed(position: string): Promise<void> {
    const deadline = Date.now() + PROJECTION_WAIT_LIMIT_MS;
    for (let poll = 1; !this.stopped; poll++) {
      const checkpoint = await this.readModel.getCheckpoint(WORKFLOWS_PROJECTION);
      if (checkpoint !== undefined && this.eventStore.comparePositions(checkpoint, position) >= 0) return;
      const left = deadline - Date.now();
      if (left <= 0) return;
      await pause(Math.min(pollDelay(poll), left), this.stopping.signal);
    }
  }

  private async readChange({ workspace, workflowId, deleted }: TouchedCard): Promise<WorkspaceCardChange | undefined> {
    const card = await this.readModel.get<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, workflowId);
    // Its sessions end after the deletion: their events find no card, and the removal was told once.
    if (!card) return deleted ? { workspace, change: { kind: 'removed', id: workflowId } } : undefined;
    // An event naming another workspace's workflow changed nothing, and must not reveal that card.
    if (card.workspace !== workspace) return undefined;
    return { workspace, change: { kind: 'card', card: toCardView(card) } };
  }
}
