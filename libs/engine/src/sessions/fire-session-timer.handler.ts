import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { FireSessionTimerCommand } from './deferred-work.commands.js';
import { handleSessionCommand } from './session-streams.js';

/** A timer that no longer matters (its step is over, a newer one replaced it) fires to no effect. */
@CommandHandler(FireSessionTimerCommand)
export class FireSessionTimerHandler implements ICommandHandler<FireSessionTimerCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: FireSessionTimerCommand): Promise<void> {
    const { sessionId, workId: timerId } = command;
    const now = new Date().toISOString();
    await handleSessionCommand(this.store, { type: 'FireTimer', data: { sessionId, timerId, now } }, command.context);
  }
}
