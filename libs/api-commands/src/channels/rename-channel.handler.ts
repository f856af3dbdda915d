import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { channelDecider, channelStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand, positionOf } from '#engine';
import { RenameChannelCommand } from './rename-channel.command.js';

@CommandHandler(RenameChannelCommand)
export class RenameChannelHandler implements ICommandHandler<RenameChannelCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channelId, name, context }: RenameChannelCommand): Promise<{ position: string }> {
    const command = { type: 'RenameChannel' as const, data: { channelId, workspace: context.workspace, name } };
    const outcome = await handleEventSourcedCommand(this.store, channelStreamName(channelId), channelDecider, command, context, {
      retryOnConflict: true,
    });
    return { position: positionOf(outcome) };
  }
}
