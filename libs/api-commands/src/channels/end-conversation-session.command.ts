import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';

/**
 * Deactivates the session a contact's conversation on a channel is in, if it is still active.
 * `position` is undefined when the conversation never reached a session.
 */
export class EndConversationSessionCommand extends Command<{ position: string | undefined }> {
  constructor(
    readonly channelId: string,
    readonly contactId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
