import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ChannelCommand } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { positionOf } from '../command-handling/event-sourced-command.js';
import { loadWorkflow } from '../workflows/workflow-stream.js';
import { AssignChannelWorkflowCommand } from './assign-channel-workflow.command.js';
import { handleChannelCommand } from './channel-stream.js';

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
      const workflow = await loadWorkflow(this.store, workflowId);
      command = { type: 'AssignWorkflow', data: { channelId, workspace, workflowId, workflow } };
    }
    const outcome = await handleChannelCommand(this.store, command, context, { retryOnConflict: true });
    return { position: positionOf(outcome) };
  }
}
