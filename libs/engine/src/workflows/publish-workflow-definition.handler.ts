import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { PublishWorkflowDefinitionCommand } from './publish-workflow-definition.command.js';
import { handleWorkflowCommand, toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-stream.js';

@CommandHandler(PublishWorkflowDefinitionCommand)
export class PublishWorkflowDefinitionHandler implements ICommandHandler<PublishWorkflowDefinitionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(publish: PublishWorkflowDefinitionCommand): Promise<WorkflowCommandResult> {
    const { workflowId, steps, settings, expectedVersion, context } = publish;
    const command = {
      type: 'PublishWorkflowDefinition',
      data: { workflowId, workspace: context.workspace, steps, settings, expectedVersion },
    } as const;
    // Safe to retry: the decider checks expectedVersion again against the fresh stream.
    const outcome = await handleWorkflowCommand(this.store, command, context, { retryOnConflict: true });
    return toWorkflowCommandResult(outcome);
  }
}
