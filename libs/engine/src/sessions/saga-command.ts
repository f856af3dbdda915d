import { Command } from '@nestjs/cqrs';
import type { RecordedEvent } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';

/**
 * A command the session saga issues for one event of the log. @nestjs/cqrs runs saga commands
 * without waiting for them, so each one carries its own completion: the engine waits for every
 * command an event caused before it moves its checkpoint past that event.
 */
export abstract class SagaCommand extends Command<void> {
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  /** Settles when the handler has finished; rejects with the handler's error. */
  readonly completion = new Promise<void>((resolve, reject) => {
    this.settle = { resolve, reject };
  });

  /**
   * The reaction's stable name, part of the idempotency key its appends' ids derive from. Never
   * derived from the class name (a rename or a minifier would make a repeated reaction look new);
   * the existing commands keep the names their class had when the log was written.
   */
  abstract readonly reactionName: string;

  constructor(readonly cause: RecordedEvent) {
    super();
    // The engine observes the outcome through `completion`; the bus logs failures on its own.
    this.completion.catch(() => undefined);
  }

  /** What the engine's appends carry: caused by `cause`, ids derived from it. */
  get context(): CommandContext {
    return engineContext(this.cause, `${this.cause.id}:${this.reactionName}`);
  }

  /** Runs `work` as this command's handling: its outcome settles `completion`. */
  async complete(work: Promise<void>): Promise<void> {
    try {
      await work;
      this.settle.resolve();
    } catch (error) {
      this.settle.reject(error);
      throw error;
    }
  }
}

/** The engine acts as a system actor, in the workspace and the correlation of what caused it. */
export const engineContext = (cause: RecordedEvent, idempotencyKey: string): CommandContext => ({
  actor: { sub: 'session-engine', role: 'system' },
  workspace: cause.metadata.workspace,
  correlationId: cause.metadata.correlationId,
  causationId: cause.id,
  idempotencyKey,
});
