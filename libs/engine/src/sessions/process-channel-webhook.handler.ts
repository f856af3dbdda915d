import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type DeliveryReceiptReceived,
  channelDecider,
  channelStreamName,
  conversationDecider,
  conversationStreamName,
  deliveryReceiptsStreamName,
} from '#domain';
import { CHANNEL_REGISTRY, type ChannelAccess, type ChannelRegistry, type WebhookInbound } from '#channels';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { receiptEventId, toNewEvents } from '../command-handling/command-context.js';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { ProcessChannelWebhookCommand } from './process-channel-webhook.command.js';

/**
 * Each message of the delivery joins its contact's conversation (a message id seen before, as in
 * a redelivery by the provider, is taken once); each receipt is recorded, never as a message.
 */
@CommandHandler(ProcessChannelWebhookCommand)
export class ProcessChannelWebhookHandler implements ICommandHandler<ProcessChannelWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHANNEL_REGISTRY) private readonly channels: ChannelRegistry,
  ) {}

  execute(command: ProcessChannelWebhookCommand): Promise<void> {
    return command.complete(this.process(command));
  }

  private async process(command: ProcessChannelWebhookCommand): Promise<void> {
    const { channelId, channelType, payload, receivedAt } = command.webhook.data;
    const items = this.webhookInboundOf(channelType).itemsOf(payload, await this.settingsOf(channelId));
    const { context } = command;
    for (const item of items) {
      if (item.kind === 'message') {
        const { kind: _kind, ...message } = item;
        await handleEventSourcedCommand(
          this.store,
          conversationStreamName(channelId, message.contactId),
          conversationDecider,
          { type: 'ReceiveMessage', data: { channelId, ...message, receivedAt } },
          context,
          RETRY_ON_BUSY_STREAM,
        );
        continue;
      }
      const { kind: _kind, ...receipt } = item;
      const recorded: DeliveryReceiptReceived = { type: 'DeliveryReceiptReceived', data: { channelId, ...receipt } };
      // The same delivery handled again, or delivered again by the provider, appends the same
      // event id, which the store keeps once.
      const [event] = toNewEvents([recorded], context);
      await this.store.appendToStream(
        deliveryReceiptsStreamName(channelId, receipt.providerMessageId),
        [{ ...event, id: receiptEventId('webhook', channelId, receipt) }],
        { expectedRevision: 'any' },
      );
    }
  }

  /** The channel's settings (its phone number or page, which the delivery's parts are matched to); they never change. */
  private async settingsOf(channelId: string): Promise<ChannelAccess['settings']> {
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active') throw new Error(`A webhook delivery was recorded for channel ${channelId}, which has no stream`);
    return channel.config as ChannelAccess['settings'];
  }

  /** Only a type with a webhook records deliveries: any other, or one no longer registered, is an error naming it. */
  private webhookInboundOf(channelType: string): WebhookInbound {
    const { inbound } = this.channels.adapterFor(channelType);
    if (inbound.kind !== 'webhook') throw new Error(`A webhook delivery was recorded for a ${channelType} channel, which has no webhook`);
    return inbound;
  }
}
