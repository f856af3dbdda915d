import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideCopyWorkflow, workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore, WrongExpectedRevisionError } from '#eventstore';
import { toNewEvents } from '#engine';
import { ConcurrentModificationError, loadState } from '#engine';
import { CopyWorkflowCommand } from './copy-workflow.command.js';
import { toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-command-result.js';

/**
 * Decides from the source's own stream, then starts the copy's new stream. A copy decided just
 * before a concurrent delete of its source still succeeds: it was taken from the live source.
 */
@CommandHandler(CopyWorkflowCommand)
export class CopyWorkflowHandler implements ICommandHandler<CopyWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, sourceWorkflowId, name, context }: CopyWorkflowCommand): Promise<WorkflowCommandResult> {
    const source = await loadState(this.store, workflowStreamName(sourceWorkflowId), workflowDecider);
    const command = {
      type: 'CopyWorkflow',
      data: { workflowId, sourceWorkflowId, workspace: context.workspace, name },
    } as const;
    const decided = decideCopyWorkflow(command, source);
    const stream = workflowStreamName(workflowId);
    const { position } = await this.store
      .appendToStream(stream, toNewEvents(decided, context), { expectedRevision: 'no_stream' })
      .catch((error: unknown) => {
        throw error instanceof WrongExpectedRevisionError ? new ConcurrentModificationError(stream) : error;
      });
    const copy = decided.reduce(workflowDecider.evolve, workflowDecider.initialState());
    return toWorkflowCommandResult({ state: copy, position });
  }
}
