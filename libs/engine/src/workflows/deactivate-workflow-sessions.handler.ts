import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { DeactivateWorkflowSessionsCommand } from './deactivate-workflow-sessions.command.js';
import { handleWorkflowCommand, toWorkflowCommandResult } from './workflow-stream.js';

@CommandHandler(DeactivateWorkflowSessionsCommand)
export class DeactivateWorkflowSessionsHandler implements ICommandHandler<DeactivateWorkflowSessionsCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workflowId, context }: DeactivateWorkflowSessionsCommand): Promise<{ position: string }> {
    const command = { type: 'DeactivateWorkflowSessions', data: { workflowId, workspace: context.workspace } } as const;
    const { position } = toWorkflowCommandResult(
      await handleWorkflowCommand(this.store, command, context, { retryOnConflict: true }),
    );
    return { position };
  }
}
