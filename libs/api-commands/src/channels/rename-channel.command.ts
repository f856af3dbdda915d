import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';

/** Names the channel anew; the same name again changes nothing. */
export class RenameChannelCommand extends Command<{ position: string }> {
  constructor(
    readonly channelId: string,
    readonly name: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
