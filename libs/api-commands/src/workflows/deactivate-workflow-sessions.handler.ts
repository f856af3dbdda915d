import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand } from '#engine';
import { DeactivateWorkflowSessionsCommand } from './deactivate-workflow-sessions.command.js';
import { toWorkflowCommandResult } from './workflow-command-result.js';

@CommandHandler(DeactivateWorkflowSessionsCommand)
export class DeactivateWorkflowSessionsHandler implements ICommandHandler<DeactivateWorkflowSessionsCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, context }: DeactivateWorkflowSessionsCommand): Promise<{ position: string }> {
    const command = { type: 'DeactivateWorkflowSessions', data: { workflowId, workspace: context.workspace } } as const;
    const { position } = toWorkflowCommandResult(
      await handleEventSourcedCommand(this.store, workflowStreamName(workflowId), workflowDecider, command, context, {
        retryOnConflict: true,
      }),
    );
    return { position };
  }
}
