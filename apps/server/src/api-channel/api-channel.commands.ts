import { Command } from '@nestjs/cqrs';
import type { ActiveChannel } from '#domain';
import type { InboundMessage } from '#api-commands';

/** `repeated`: the message was there already (its externalId came before); `position` is the first time's. */
export interface ReceivedApiMessage {
  messageId: string;
  position: string;
  repeated: boolean;
}

/**
 * A customer's message from an outside adapter, recorded on its conversation once. `earlierMessageId`
 * is the id the same externalId was given before ids named the contact: a repeat of a message
 * recorded under it is still a repeat.
 */
export class ReceiveApiChannelMessageCommand extends Command<ReceivedApiMessage> {
  constructor(
    readonly channel: ActiveChannel,
    readonly message: InboundMessage,
    readonly earlierMessageId: string,
  ) {
    super();
  }
}

/** What became of a message the channel sent, as the adapter reports it. */
export class RecordApiChannelReceiptCommand extends Command<{ position: string }> {
  constructor(
    readonly channel: ActiveChannel,
    readonly receipt: { messageId: string; status: string; at?: string },
  ) {
    super();
  }
}

/** Pulled messages the adapter has taken: each is recorded delivered in its session's outbox. */
export class AcknowledgeApiChannelMessagesCommand extends Command<{ position: string | null }> {
  constructor(
    readonly channel: ActiveChannel,
    readonly messages: readonly { messageId: string; sessionId: string }[],
  ) {
    super();
  }
}
