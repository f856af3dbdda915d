import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type ConversationCommand,
  type DeliveryReceiptReceived,
  type MessageReceived,
  type RecordDeliveryAttempt,
  conversationDecider,
  conversationStreamName,
  deliveryDecider,
  deliveryReceiptsStreamName,
  outboxStreamName,
} from '#domain';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadStream, positionOf, receiptEventId, toNewEvents } from '#engine';
import { channelContext } from '#api-commands';
import { EVENT_STORE, type EventStore } from '#eventstore';
import {
  AcknowledgeApiChannelMessagesCommand,
  ReceiveApiChannelMessageCommand,
  type ReceivedApiMessage,
  RecordApiChannelReceiptCommand,
} from './api-channel.commands.js';

/** How far back a repeat looks for the first time its message was recorded, per read. */
const LOOKBACK_PAGE = 100;

/**
 * Records the message on its contact's conversation unless it is there already: the message id
 * is derived from the externalId, and the conversation's decider takes a message id once. A repeat
 * answers what the first time answered, found in the conversation's latest events.
 */
@CommandHandler(ReceiveApiChannelMessageCommand)
export class ReceiveApiChannelMessageHandler implements ICommandHandler<ReceiveApiChannelMessageCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channel, message, earlierMessageId }: ReceiveApiChannelMessageCommand): Promise<ReceivedApiMessage> {
    const { channelId } = channel;
    const { messageId, contactId } = message;
    const streamName = conversationStreamName(channelId, contactId);
    const command: ConversationCommand = { type: 'ReceiveMessage', data: { channelId, ...message, receivedAt: new Date().toISOString() } };
    /** The id the message is recorded under: this one, or the earlier one of a repeat. */
    let recordedAs = messageId;
    let repeated = false;
    const notingRepeats: typeof conversationDecider = {
      ...conversationDecider,
      decide: (received, state) => {
        const known = [messageId, earlierMessageId].find((id) => state.messages.has(id));
        repeated = known !== undefined;
        recordedAs = known ?? messageId;
        return repeated ? [] : conversationDecider.decide(received, state);
      },
    };
    const outcome = await handleEventSourcedCommand(
      this.store,
      streamName,
      notingRepeats,
      command,
      channelContext(channel, messageId),
      RETRY_ON_BUSY_STREAM,
    );
    if (!repeated) return { messageId, position: positionOf(outcome), repeated };
    return { messageId: recordedAs, position: (await this.firstRecorded(streamName, recordedAs)) ?? positionOf(outcome), repeated };
  }

  /** Where the message was recorded: read backwards from the end, since a repeat is of a recent message. */
  private async firstRecorded(streamName: string, messageId: string): Promise<string | undefined> {
    const { revision } = await loadStream(this.store, streamName, conversationDecider);
    for (let last = revision ?? -1; last >= 0; last -= LOOKBACK_PAGE) {
      const first = Math.max(0, last - LOOKBACK_PAGE + 1);
      const events = await this.store.readStream(streamName, { fromRevision: first, maxCount: last - first + 1 });
      const received = events.find(
        (event) => event.type === 'MessageReceived' && (event.data as MessageReceived['data']).messageId === messageId,
      );
      if (received) return received.position;
    }
    return undefined;
  }
}

/** Recorded like Meta's receipts; the same receipt reported again is stored once (its event id is derived from it). */
@CommandHandler(RecordApiChannelReceiptCommand)
export class RecordApiChannelReceiptHandler implements ICommandHandler<RecordApiChannelReceiptCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channel, receipt }: RecordApiChannelReceiptCommand): Promise<{ position: string }> {
    const { channelId } = channel;
    const { messageId, status, at } = receipt;
    // One instant in UTC, however it was written: the same receipt with `+00:00` for `Z` is the same receipt.
    const recorded: DeliveryReceiptReceived = {
      type: 'DeliveryReceiptReceived',
      data: { channelId, providerMessageId: messageId, status, ...(at === undefined ? {} : { at: new Date(at).toISOString() }) },
    };
    const [event] = toNewEvents([recorded], channelContext(channel, randomUUID()));
    const { position } = await this.store.appendToStream(
      deliveryReceiptsStreamName(channelId, messageId),
      [{ ...event, id: receiptEventId('api-channel', channelId, recorded.data) }],
      { expectedRevision: 'any' },
    );
    return { position };
  }
}

/**
 * Records each pulled message delivered in its session's outbox, as a 2xx callback would be; a
 * message already done records nothing (the outbox decider takes one outcome per message).
 */
@CommandHandler(AcknowledgeApiChannelMessagesCommand)
export class AcknowledgeApiChannelMessagesHandler implements ICommandHandler<AcknowledgeApiChannelMessagesCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channel, messages }: AcknowledgeApiChannelMessagesCommand): Promise<{ position: string | null }> {
    const context = channelContext(channel, randomUUID());
    let position: string | null = null;
    for (const { messageId, sessionId } of messages) {
      const command: RecordDeliveryAttempt = {
        type: 'RecordDeliveryAttempt',
        data: { sessionId, messageId, outcome: { kind: 'delivered', providerMessageId: messageId }, now: new Date().toISOString() },
      };
      const outcome = await handleEventSourcedCommand(this.store, outboxStreamName(sessionId), deliveryDecider, command, context, {
        retryOnConflict: true,
      });
      position = outcome.position ?? position;
    }
    return { position };
  }
}
