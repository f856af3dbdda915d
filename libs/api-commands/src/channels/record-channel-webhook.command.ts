import { Command } from '@nestjs/cqrs';
import type { ActiveChannel } from '#domain';

/** A webhook delivery whose signature the caller verified, to record for the engine. */
export class RecordChannelWebhookCommand extends Command<{ position: string }> {
  constructor(
    readonly channel: ActiveChannel,
    readonly payload: unknown,
    /**
     * The contact the delivery is about, when it names one: deliveries of one contact share a
     * stream, so that the engine takes them in the order they were recorded.
     */
    readonly contactId?: string,
  ) {
    super();
  }
}
