import { Command } from '@nestjs/cqrs';
import type { ChannelType } from '#domain';
import type { CommandContext } from '../command-handling/command-context.js';

export class CreateChannelCommand extends Command<{ position: string }> {
  constructor(
    readonly channelId: string,
    readonly channelType: ChannelType,
    readonly name: unknown,
    readonly config: Record<string, unknown>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
