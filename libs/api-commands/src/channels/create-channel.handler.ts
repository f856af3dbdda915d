import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CHANNEL_SECRETS, type SecretBox } from '#channels';
import { channelDecider, channelStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand, positionOf } from '#engine';
import { CreateChannelCommand } from './create-channel.command.js';

@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHANNEL_SECRETS) private readonly secrets: SecretBox,
  ) {}

  async execute({ channelId, channelType, name, config, context, previewOf }: CreateChannelCommand): Promise<{ position: string }> {
    const sealed = Object.keys(config.secrets).length === 0 ? {} : { sealedSecrets: this.secrets.seal(config.secrets) };
    const command = {
      type: 'CreateChannel',
      data: {
        channelId,
        workspace: context.workspace,
        channelType,
        name,
        config: config.settings,
        ...sealed,
        ...(previewOf === undefined ? {} : { previewOf }),
      },
    } as const;
    const outcome = await handleEventSourcedCommand(this.store, channelStreamName(channelId), channelDecider, command, context, {
      retryOnConflict: false,
      startsStream: true,
    });
    return { position: positionOf(outcome) };
  }
}
