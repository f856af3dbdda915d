import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand } from '#engine';
import { CreateWorkflowCommand } from './create-workflow.command.js';
import { toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-command-result.js';

@CommandHandler(CreateWorkflowCommand)
export class CreateWorkflowHandler implements ICommandHandler<CreateWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, name, context }: CreateWorkflowCommand): Promise<WorkflowCommandResult> {
    const command = { type: 'CreateWorkflow', data: { workflowId, workspace: context.workspace, name } } as const;
    // A conflict on a brand-new id means it exists already: never retried.
    const outcome = await handleEventSourcedCommand(this.store, workflowStreamName(workflowId), workflowDecider, command, context, {
      retryOnConflict: false,
      startsStream: true,
    });
    return toWorkflowCommandResult(outcome);
  }
}
