import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../command-handling/command-context.js';

/** Work the engine owes a session, done when due: firing a timer, asking the AI agent. */
abstract class DeferredWorkCommand extends Command<void> {
  /**
   * The work's stable name, part of the idempotency key its appends' ids derive from. Never the
   * class name (a rename or a minifier would make repeated work look new); the existing commands
   * keep the names their class had when the log was written.
   */
  abstract readonly workName: string;

  constructor(
    readonly sessionId: string,
    readonly workspace: string,
    /** The timer's or the agent request's id. */
    readonly workId: string,
  ) {
    super();
  }

  /** Appends caused by the same work have the same ids, however often it is done. */
  get context(): CommandContext {
    return {
      actor: { sub: 'session-engine', role: 'system' },
      workspace: this.workspace,
      correlationId: this.workId,
      causationId: this.workId,
      idempotencyKey: `${this.workName}:${this.workId}`,
    };
  }
}

export class FireSessionTimerCommand extends DeferredWorkCommand {
  readonly workName = 'FireSessionTimerCommand';
}

export class RunAgentTurnCommand extends DeferredWorkCommand {
  readonly workName = 'RunAgentTurnCommand';
}

/** Delivers a session's undelivered messages to its push channel, in order. */
export class DeliverOutboxCommand extends DeferredWorkCommand {
  readonly workName = 'DeliverOutboxCommand';
}
