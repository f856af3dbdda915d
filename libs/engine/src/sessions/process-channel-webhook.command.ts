import type { ChannelWebhookReceived } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { SagaCommand } from './saga-command.js';

/** A verified webhook delivery, recorded: turn it into the customers' messages and the receipts. */
export class ProcessChannelWebhookCommand extends SagaCommand {
  readonly reactionName = 'ProcessChannelWebhookCommand';

  constructor(readonly webhook: RecordedEvent<'ChannelWebhookReceived', ChannelWebhookReceived['data']>) {
    super(webhook);
  }
}
