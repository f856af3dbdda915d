import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { conversationDecider, conversationStreamName, sessionDecider, sessionStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState } from '#engine';
import { EndConversationSessionCommand } from './end-conversation-session.command.js';

@CommandHandler(EndConversationSessionCommand)
export class EndConversationSessionHandler implements ICommandHandler<EndConversationSessionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channelId, contactId, context }: EndConversationSessionCommand): Promise<{ position: string | undefined }> {
    // The conversation's own stream says which session its latest message went to.
    const { lastSessionId } = await loadState(this.store, conversationStreamName(channelId, contactId), conversationDecider);
    if (lastSessionId === undefined) return { position: undefined };
    const { position } = await handleEventSourcedCommand(
      this.store,
      sessionStreamName(lastSessionId),
      sessionDecider,
      { type: 'DeactivateSession', data: { sessionId: lastSessionId } },
      context,
      RETRY_ON_BUSY_STREAM,
    );
    return { position };
  }
}
