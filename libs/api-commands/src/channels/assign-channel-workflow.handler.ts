import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ChannelCommand, channelDecider, channelStreamName, workflowDecider, workflowStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { handleEventSourcedCommand, loadState, positionOf } from '#engine';
import { AssignChannelWorkflowCommand } from './assign-channel-workflow.command.js';

@CommandHandler(AssignChannelWorkflowCommand)
export class AssignChannelWorkflowHandler implements ICommandHandler<AssignChannelWorkflowCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ channelId, workflowId, context }: AssignChannelWorkflowCommand): Promise<{ position: string }> {
    const { workspace } = context;
    let command: ChannelCommand;
    if (workflowId === undefined) {
      command = { type: 'UnassignWorkflow', data: { channelId, workspace } };
    } else {
      // The workflow's existence is a fact of its own stream, handed to the channel's decider.
      const workflow = await loadState(this.store, workflowStreamName(workflowId), workflowDecider);
      command = { type: 'AssignWorkflow', data: { channelId, workspace, workflowId, workflow } };
    }
    const outcome = await handleEventSourcedCommand(this.store, channelStreamName(channelId), channelDecider, command, context, {
      retryOnConflict: true,
    });
    return { position: positionOf(outcome) };
  }
}
