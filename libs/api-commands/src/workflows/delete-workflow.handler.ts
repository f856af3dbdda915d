import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand } from '#engine';
import { DeleteWorkflowCommand } from './delete-workflow.command.js';
import { toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-command-result.js';

@CommandHandler(DeleteWorkflowCommand)
export class DeleteWorkflowHandler implements ICommandHandler<DeleteWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, context }: DeleteWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'DeleteWorkflow', data: { workflowId, workspace: context.workspace } } as const;
    const outcome = await handleEventSourcedCommand(this.store, workflowStreamName(workflowId), workflowDecider, command, context, {
      retryOnConflict: true,
    });
    return toWorkflowCommandResult(outcome);
  }
}
