import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { positionOf } from '../command-handling/event-sourced-command.js';
import { handleChannelCommand } from './channel-stream.js';
import { CreateChannelCommand } from './create-channel.command.js';

@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channelId, channelType, name, config, context }: CreateChannelCommand): Promise<{ position: string }> {
    const command = {
      type: 'CreateChannel',
      data: { channelId, workspace: context.workspace, channelType, name, config },
    } as const;
    return { position: positionOf(await handleChannelCommand(this.store, command, context, { retryOnConflict: false })) };
  }
}
