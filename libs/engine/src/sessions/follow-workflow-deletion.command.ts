import type { RecordedEvent } from '#eventstore';
import { SagaCommand } from './saga-command.js';

/**
 * A session started, or a channel was given a workflow, possibly just after that workflow was
 * deleted (each was decided before the deletion and recorded after it): the deletion then still
 * ends the session, or takes the workflow off the channel.
 */
export class FollowWorkflowDeletionCommand extends SagaCommand {
  readonly reactionName = 'FollowWorkflowDeletionCommand';

  constructor(
    cause: RecordedEvent,
    readonly workflowId: string,
    readonly target: { sessionId: string } | { channelId: string },
  ) {
    super(cause);
  }
}
