import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ChannelWebhookReceived, webhookStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { newId, toNewEvents } from '#engine';
import { channelContext } from './channel-context.js';
import { RecordChannelWebhookCommand } from './record-channel-webhook.command.js';

/** Appends the delivery as received, so the provider gets its 200 at once; the engine does the rest. */
@CommandHandler(RecordChannelWebhookCommand)
export class RecordChannelWebhookHandler implements ICommandHandler<RecordChannelWebhookCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channel, payload, contactId }: RecordChannelWebhookCommand): Promise<{ position: string }> {
    const { channelId, channelType } = channel;
    const received: ChannelWebhookReceived = {
      type: 'ChannelWebhookReceived',
      data: { channelId, channelType, payload, receivedAt: new Date().toISOString() },
    };
    const deliveryId = newId();
    const context = channelContext(channel, deliveryId);
    // By contact: the engine takes one stream's events one after another, in log order.
    const shardKey = contactId === undefined ? deliveryId : `contact|${contactId}`;
    const { position } = await this.store.appendToStream(webhookStreamName(channelId, shardKey), toNewEvents([received], context), {
      expectedRevision: 'any',
    });
    return { position };
  }
}
