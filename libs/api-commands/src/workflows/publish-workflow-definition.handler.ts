import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand } from '#engine';
import { PublishWorkflowDefinitionCommand } from './publish-workflow-definition.command.js';
import { toWorkflowCommandResult, type WorkflowCommandResult } from './workflow-command-result.js';

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
    const outcome = await handleEventSourcedCommand(this.store, workflowStreamName(workflowId), workflowDecider, command, context, {
      retryOnConflict: true,
    });
    return toWorkflowCommandResult(outcome);
  }
}
