import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleChannelCommand } from '../channels/channel-stream.js';
import { loadWorkflow } from '../workflows/workflow-stream.js';
import { FollowWorkflowDeletionCommand } from './follow-workflow-deletion.command.js';
import { handleSessionCommand } from './session-streams.js';

@CommandHandler(FollowWorkflowDeletionCommand)
export class FollowWorkflowDeletionHandler implements ICommandHandler<FollowWorkflowDeletionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(command: FollowWorkflowDeletionCommand): Promise<void> {
    return command.complete(this.follow(command));
  }

  private async follow({ workflowId, target, context }: FollowWorkflowDeletionCommand): Promise<void> {
    const state = await loadWorkflow(this.store, workflowId);
    if (state.status !== 'deleted') return;
    if ('sessionId' in target) {
      await handleSessionCommand(this.store, { type: 'TerminateSession', data: { sessionId: target.sessionId } }, context);
    } else {
      const command = { type: 'UnassignDeletedWorkflow', data: { channelId: target.channelId, workflowId } } as const;
      await handleChannelCommand(this.store, command, context, { retryOnConflict: true });
    }
  }
}
