import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider, sessionStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand } from '../command-handling/event-sourced-command.js';
import { FireSessionTimerCommand } from './deferred-work.commands.js';

/** A timer that no longer matters (its step is over, a newer one replaced it) fires to no effect. */
@CommandHandler(FireSessionTimerCommand)
export class FireSessionTimerHandler implements ICommandHandler<FireSessionTimerCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: FireSessionTimerCommand): Promise<void> {
    const { sessionId, workId: timerId } = command;
    const now = new Date().toISOString();
    const fire = { type: 'FireTimer', data: { sessionId, timerId, now } } as const;
    const { context } = command;
    await handleEventSourcedCommand(this.store, sessionStreamName(sessionId), sessionDecider, fire, context, RETRY_ON_BUSY_STREAM);
  }
}
