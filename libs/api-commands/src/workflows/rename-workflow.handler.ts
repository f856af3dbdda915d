import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand } from '#engine';
import { RenameWorkflowCommand } from './rename-workflow.command.js';
import { toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-command-result.js';

@CommandHandler(RenameWorkflowCommand)
export class RenameWorkflowHandler implements ICommandHandler<RenameWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, name, context }: RenameWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'RenameWorkflow', data: { workflowId, workspace: context.workspace, name } } as const;
    const outcome = await handleEventSourcedCommand(this.store, workflowStreamName(workflowId), workflowDecider, command, context, {
      retryOnConflict: true,
    });
    return toWorkflowCommandResult(outcome);
  }
}
