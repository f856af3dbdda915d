import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { channelDecider, channelStreamName, sessionDecider, sessionStreamName, workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { FollowWorkflowDeletionCommand } from './follow-workflow-deletion.command.js';

@CommandHandler(FollowWorkflowDeletionCommand)
export class FollowWorkflowDeletionHandler implements ICommandHandler<FollowWorkflowDeletionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(command: FollowWorkflowDeletionCommand): Promise<void> {
    return command.complete(this.follow(command));
  }

  private async follow({ workflowId, target, context }: FollowWorkflowDeletionCommand): Promise<void> {
    const state = await loadState(this.store, workflowStreamName(workflowId), workflowDecider);
    if (state.status !== 'deleted') return;
    if ('sessionId' in target) {
      const { sessionId } = target;
      const command = { type: 'TerminateSession', data: { sessionId } } as const;
      await handleEventSourcedCommand(this.store, sessionStreamName(sessionId), sessionDecider, command, context, RETRY_ON_BUSY_STREAM);
    } else {
      const { channelId } = target;
      const command = { type: 'UnassignDeletedWorkflow', data: { channelId, workflowId } } as const;
      await handleEventSourcedCommand(this.store, channelStreamName(channelId), channelDecider, command, context, {
        retryOnConflict: true,
      });
    }
  }
}
