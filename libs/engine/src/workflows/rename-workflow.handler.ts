import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RenameWorkflowCommand } from './rename-workflow.command.js';
import { handleWorkflowCommand, toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-stream.js';

@CommandHandler(RenameWorkflowCommand)
export class RenameWorkflowHandler implements ICommandHandler<RenameWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, name, context }: RenameWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'RenameWorkflow', data: { workflowId, workspace: context.workspace, name } } as const;
    const outcome = await handleWorkflowCommand(this.store, command, context, { retryOnConflict: true });
    return toWorkflowCommandResult(outcome);
  }
}
