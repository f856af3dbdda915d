import { Command } from '@nestjs/cqrs';
import type { ActiveChannel } from '#domain';

/** A webhook delivery whose signature the caller verified, to record for the engine. */
export class RecordChannelWebhookCommand extends Command<{ position: string }> {
  constructor(
    readonly channel: ActiveChannel,
    readonly payload: unknown,
  ) {
    super();
  }
}
