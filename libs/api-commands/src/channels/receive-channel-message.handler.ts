import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ChannelNotFoundError, channelDecider, channelStreamName, conversationDecider, conversationStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState, positionOf } from '#engine';
import { channelContext } from './channel-context.js';
import { ReceiveChannelMessageCommand } from './receive-channel-message.command.js';

/**
 * Records the message on its conversation and returns: the session engine takes it from the log.
 * Appends to one conversation are ordered by the stream, so one contact's messages are applied in
 * the order they were recorded, however concurrently they arrived.
 */
@CommandHandler(ReceiveChannelMessageCommand)
export class ReceiveChannelMessageHandler implements ICommandHandler<ReceiveChannelMessageCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channelId, channelType, message }: ReceiveChannelMessageCommand): Promise<{ messageId: string; position: string }> {
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active' || channel.channelType !== channelType) throw new ChannelNotFoundError(channelId);
    const context = channelContext(channel, message.messageId);
    const { contactId } = message;
    const outcome = await handleEventSourcedCommand(
      this.store,
      conversationStreamName(channelId, contactId),
      conversationDecider,
      { type: 'ReceiveMessage', data: { channelId, ...message, receivedAt: new Date().toISOString() } },
      context,
      RETRY_ON_BUSY_STREAM,
    );
    return { messageId: message.messageId, position: positionOf(outcome) };
  }
}
