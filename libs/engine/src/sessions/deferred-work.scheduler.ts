import { exponentialBackoff } from '#backoff';
import type { ReadModelStore } from '#readmodel';
import { DeliverOutboxCommand, FireSessionTimerCommand, RunAgentTurnCommand } from './deferred-work.commands.js';
import { ENGINE_PENDING_WORK_COLLECTION, ENGINE_SCOPE, type PendingWork, type WorkChange } from './session-engine-state.projection.js';
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
export type ExecuteCommand = (command: FireSessionTimerCommand | RunAgentTurnCommand | DeliverOutboxCommand) => Promise<unknown>;

const PAGE_SIZE = 1000;
/** setTimeout cannot wait longer than about 24.8 days; a far timer is looked at again before. */
const LONGEST_SLEEP_MS = 60 * 60 * 1000;
/** A failed piece of work is tried again after 1 s, 2 s, 4 s … at most a minute. */
const retryDelayMs = exponentialBackoff({ firstMs: 1000, maxMs: 60_000 });
const MAX_PARALLEL_WORK = 32;

/**
 * Durable timers, AI agent requests and outbox deliveries. What is owed is loaded at start from
 * the engine's state (kept with its checkpoint) and followed through the changes the engine
 * commits; so a timer due while the server was down fires as soon as it is back. Every piece of
 * work is a command that decides from its streams: done twice, or when no longer owed, it changes
 * nothing. A piece of work never runs twice at once: owed again while it runs, it runs once more after.
 */
export class DeferredWorkScheduler {
  private readonly queue = new TimerQueue<ScheduledWork>();
  /** Everything owed, by id, as last owed: what a finished run compares itself with. */
  private readonly owed = new Map<string, ScheduledWork>();
  private readonly runningIds = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly readModel: ReadModelStore,
    private readonly execute: ExecuteCommand,
    private readonly logger: DeferredWorkLogger,
  ) {}

  async start(): Promise<void> {
    await this.loadOwed();
    this.wake();
  }

  /**
   * Owes exactly what the engine's stored state owes: after another engine process committed
   * events this one skips. Work running now finishes; what is still owed then runs again.
   */
  async reload(): Promise<void> {
    for (const id of this.owed.keys()) this.queue.remove(id);
    this.owed.clear();
    await this.loadOwed();
    this.wake();
  }

  private async loadOwed(): Promise<void> {
    for (let last: PendingWork | undefined; ;) {
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
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    await Promise.allSettled(this.running);
  }

  /** How much work is owed now, running or waiting; for health and tests. */
  get pending(): number {
    return this.owed.size;
  }

  /** How much work of each kind is owed now, running or waiting; for metrics. */
  owedByKind(): Record<PendingWork['kind'], number> {
    const owed = { timer: 0, agent_request: 0, delivery: 0 };
    for (const { kind } of this.owed.values()) owed[kind] += 1;
    return owed;
  }

  /** Follows the changes to owed work of an event the engine has just committed. */
  apply(changes: readonly WorkChange[]): void {
    for (const change of changes) {
      if (change.kind === 'owe') this.owe(change.work);
      else this.settle(change.id);
    }
    this.wake();
  }

  private owe({ id, kind, sessionId, sessionWorkspace, dueAt }: PendingWork): void {
    const work: ScheduledWork = { id, kind, sessionId, sessionWorkspace, dueAtMs: Date.parse(dueAt), failures: 0 };
    this.owed.set(id, work);
    // While it runs it is not queued: the run, when it ends, queues what is owed then.
    if (!this.runningIds.has(id)) this.queue.add(work);
  }

  private settle(id: string): void {
    this.owed.delete(id);
    this.queue.remove(id);
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
    this.runningIds.add(work.id);
    const running: Promise<void> = this.execute(commandFor(work))
      .then(() => {
        // Done: the engine settles it for good when it sees the outcome; until then it is not run again.
        if (this.owed.get(work.id) === work) this.owed.delete(work.id);
      })
      .catch((error: unknown) => {
        const failed = `${work.kind} ${work.id} of session ${work.sessionId} failed: ${(error as Error).message}`;
        if (this.owed.get(work.id) !== work || this.stopped) {
          this.logger.error(`${failed}; no longer owed as it was, so not retried`);
          return;
        }
        const delay = retryDelayMs(work.failures + 1);
        this.logger.error(`${failed}; retrying in ${delay} ms`);
        this.owed.set(work.id, { ...work, dueAtMs: Date.now() + delay, failures: work.failures + 1 });
      })
      .finally(() => {
        this.runningIds.delete(work.id);
        this.running.delete(running);
        // Owed again meanwhile (or to retry): queue it now.
        const again = this.owed.get(work.id);
        if (again !== undefined && !this.stopped) this.queue.add(again);
        this.wake();
      });
    this.running.add(running);
  }
}

const commandFor = ({ kind, sessionId, sessionWorkspace, id }: ScheduledWork) => {
  switch (kind) {
    case 'timer':
      return new FireSessionTimerCommand(sessionId, sessionWorkspace, id);
    case 'agent_request':
      return new RunAgentTurnCommand(sessionId, sessionWorkspace, id);
    case 'delivery':
      return new DeliverOutboxCommand(sessionId, sessionWorkspace, id);
  }
};
