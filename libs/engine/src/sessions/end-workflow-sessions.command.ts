import type { RecordedEvent } from '#eventstore';
import { SagaCommand } from './saga-command.js';

/**
 * Ends every session of a workflow that is active at the cause's position: deactivated on an
 * admin's request, terminated when the workflow was deleted (which also takes the workflow off
 * every channel that had it).
 */
export class EndWorkflowSessionsCommand extends SagaCommand {
  readonly reactionName = 'EndWorkflowSessionsCommand';

  constructor(
    cause: RecordedEvent,
    readonly workflowId: string,
    readonly ending: 'deactivate' | 'terminate',
  ) {
    super(cause);
  }
}
