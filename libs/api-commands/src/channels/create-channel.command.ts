import { Command } from '@nestjs/cqrs';
import type { ChannelConfig, ChannelType } from '#domain';
import type { CommandContext } from '#engine';

export class CreateChannelCommand extends Command<{ position: string }> {
  constructor(
    readonly channelId: string,
    readonly channelType: ChannelType,
    readonly name: unknown,
    /** Checked already; the handler seals the secrets before they reach the log. */
    readonly config: ChannelConfig,
    readonly context: CommandContext,
    /** The workflow this channel is made the Try it preview of. */
    readonly previewOf?: string,
  ) {
    super();
  }
}
