import { Command } from '@nestjs/cqrs';
import type { ChannelType } from '#domain';

export interface InboundMessage {
  contactId: string;
  contactName?: string;
  /** The channel's id of the message, by which a redelivery is recognised. */
  messageId: string;
  text: string;
}

/** A customer's message arriving through a channel adapter; acts in the channel's workspace. */
export class ReceiveChannelMessageCommand extends Command<{ messageId: string; position: string }> {
  constructor(
    readonly channelId: string,
    /** The adapter it came through: a channel of another type does not take it. */
    readonly channelType: ChannelType,
    readonly message: InboundMessage,
  ) {
    super();
  }
}
