import type { SessionEvent } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type ReadModelStore, recordedEventsOf } from '#readmodel';
import { FireSessionTimerCommand, RunAgentTurnCommand } from './deferred-work.commands.js';
import {
  ENGINE_PENDING_WORK_COLLECTION,
  ENGINE_SCOPE,
  OWED_WORK_EVENT_TYPES,
  type PendingWork,
} from './session-engine-state.projection.js';
import { TimerQueue } from './timer-queue.js';

export interface DeferredWorkLogger {
  error(message: string): void;
}

interface ScheduledWork {
  id: string;
  dueAtMs: number;
  kind: PendingWork['kind'];
  sessionId: string;
  sessionWorkspace: string;
  /** Failed attempts so far: each one waits longer before the next. */
  failures: number;
}

/** Runs a command and resolves when its handler has finished. */
export type ExecuteCommand = (command: FireSessionTimerCommand | RunAgentTurnCommand) => Promise<unknown>;

const PAGE_SIZE = 1000;
/** setTimeout cannot wait longer than about 24.8 days; a far timer is looked at again before. */
const LONGEST_SLEEP_MS = 60 * 60 * 1000;
const MAX_RETRY_DELAY_MS = 60_000;
const MAX_PARALLEL_WORK = 32;

const workEvent = recordedEventsOf<Extract<SessionEvent, { type: (typeof OWED_WORK_EVENT_TYPES)[number] }>>(
  ...OWED_WORK_EVENT_TYPES,
);

/**
 * Durable timers and AI agent requests. What is owed is loaded at start from the engine's state
 * (kept with its checkpoint) and followed through the events the engine commits; so a timer due
 * while the server was down fires as soon as it is back. Every piece of work is a command that
 * decides from the session's stream: done twice, or when no longer owed, it changes nothing.
 */
export class DeferredWorkScheduler {
  private readonly queue = new TimerQueue<ScheduledWork>();
  private readonly bySession = new Map<string, Set<string>>();
  private readonly running = new Set<Promise<void>>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly readModel: ReadModelStore,
    private readonly execute: ExecuteCommand,
    private readonly logger: DeferredWorkLogger,
  ) {}

  async start(): Promise<void> {
    for (let last: PendingWork | undefined; ; ) {
      const page = await this.readModel.list<PendingWork>(ENGINE_PENDING_WORK_COLLECTION, {
        workspace: ENGINE_SCOPE,
        orderBy: 'dueAt',
        limit: PAGE_SIZE,
        ...(last === undefined ? {} : { before: { value: last.dueAt, id: last.id } }),
      });
      for (const work of page) this.owe(work);
      if (page.length < PAGE_SIZE) break;
      last = page.at(-1);
    }
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    await Promise.allSettled(this.running);
  }

  /** How much work is owed now; for health and tests. */
  get pending(): number {
    return this.queue.size + this.running.size;
  }

  /** Follows an event the engine has just committed to its state. */
  observe(recorded: RecordedEvent): void {
    const event = workEvent(recorded);
    if (!event) return;
    const { sessionId } = event.data;
    const sessionWorkspace = event.metadata.workspace;
    switch (event.type) {
      case 'TimerScheduled':
        this.owe({ id: event.data.timerId, kind: 'timer', dueAt: event.data.dueAt, sessionId, sessionWorkspace });
        break;
      case 'AgentInvoked':
        this.owe({ id: event.data.requestId, kind: 'agent_request', dueAt: recorded.metadata.occurredAt, sessionId, sessionWorkspace });
        break;
      case 'TimerFired':
        this.forget(sessionId, event.data.timerId);
        break;
      case 'AgentReplied':
      case 'AgentFailed':
        this.forget(sessionId, event.data.requestId);
        break;
      default:
        for (const id of this.bySession.get(sessionId) ?? []) this.forget(sessionId, id);
    }
    this.wake();
  }

  private owe(work: Pick<PendingWork, 'id' | 'kind' | 'dueAt' | 'sessionId' | 'sessionWorkspace'>): void {
    const { id, kind, sessionId, sessionWorkspace } = work;
    this.queue.add({ id, kind, sessionId, sessionWorkspace, dueAtMs: Date.parse(work.dueAt), failures: 0 });
    const ids = this.bySession.get(sessionId) ?? new Set<string>();
    this.bySession.set(sessionId, ids.add(id));
  }

  private forget(sessionId: string, id: string): void {
    this.queue.remove(id);
    const ids = this.bySession.get(sessionId);
    ids?.delete(id);
    if (ids?.size === 0) this.bySession.delete(sessionId);
  }

  /** Starts what is due, then sleeps until the next due time. */
  private wake(): void {
    clearTimeout(this.wakeTimer);
    if (this.stopped) return;
    // Work beyond the parallel limit stays queued, to start as soon as a slot frees up.
    for (const work of this.queue.takeDue(Date.now(), MAX_PARALLEL_WORK - this.running.size)) this.run(work);
    const next = this.queue.peek();
    if (next === undefined) return;
    const sleep = this.running.size >= MAX_PARALLEL_WORK ? LONGEST_SLEEP_MS : Math.max(0, next.dueAtMs - Date.now());
    this.wakeTimer = setTimeout(() => this.wake(), Math.min(sleep, LONGEST_SLEEP_MS));
    this.wakeTimer.unref();
  }

  private run(work: ScheduledWork): void {
    const command =
      work.kind === 'timer'
        ? new FireSessionTimerCommand(work.sessionId, work.sessionWorkspace, work.id)
        : new RunAgentTurnCommand(work.sessionId, work.sessionWorkspace, work.id);
    const running: Promise<void> = this.execute(command)
      .then(() => {
        // Done: the event it caused removes it for good; until the engine sees that, it stays known.
        this.forget(work.sessionId, work.id);
      })
      .catch((error: unknown) => {
        const delay = Math.min(1000 * 2 ** work.failures, MAX_RETRY_DELAY_MS);
        this.logger.error(`${work.kind} ${work.id} of session ${work.sessionId} failed: ${(error as Error).message}; retrying in ${delay} ms`);
        // Unless the work was cancelled meanwhile (its session ended, say).
        const stillOwed = this.bySession.get(work.sessionId)?.has(work.id) ?? false;
        if (!this.stopped && stillOwed) this.queue.add({ ...work, dueAtMs: Date.now() + delay, failures: work.failures + 1 });
      })
      .finally(() => {
        this.running.delete(running);
        this.wake();
      });
    this.running.add(running);
  }
}
