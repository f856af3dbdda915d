import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { CreateWorkflowCommand } from './create-workflow.command.js';
import { handleWorkflowCommand, toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-stream.js';

@CommandHandler(CreateWorkflowCommand)
export class CreateWorkflowHandler implements ICommandHandler<CreateWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, name, context }: CreateWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'CreateWorkflow', data: { workflowId, workspace: context.workspace, name } } as const;
    // A conflict on a brand-new id means it exists already: never retried.
    const outcome = await handleWorkflowCommand(this.store, command, context, { retryOnConflict: false });
    return toWorkflowCommandResult(outcome);
  }
}
