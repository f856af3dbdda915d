import type { MessageReceived } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { SagaCommand } from './saga-command.js';

/** A contact's message, recorded on its conversation: route it to a session and let the session act. */
export class RouteCustomerMessageCommand extends SagaCommand {
  readonly reactionName = 'RouteCustomerMessageCommand';

  constructor(readonly message: RecordedEvent<'MessageReceived', MessageReceived['data']>) {
    super(message);
  }
}
