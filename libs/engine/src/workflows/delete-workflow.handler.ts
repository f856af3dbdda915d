import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { DeleteWorkflowCommand } from './delete-workflow.command.js';
import { handleWorkflowCommand, toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-stream.js';

@CommandHandler(DeleteWorkflowCommand)
export class DeleteWorkflowHandler implements ICommandHandler<DeleteWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, context }: DeleteWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'DeleteWorkflow', data: { workflowId, workspace: context.workspace } } as const;
    const outcome = await handleWorkflowCommand(this.store, command, context, { retryOnConflict: true });
    return toWorkflowCommandResult(outcome);
  }
}
