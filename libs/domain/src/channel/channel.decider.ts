/**
 * The channel stream's decider. A channel belongs to one workspace and has at most one workflow
 * assigned; messages on a channel without one are recorded and get no automated answer.
 */
import type { Decider } from '../decider.js';
import { WorkflowNotFoundError } from '../errors.js';
import type { WorkflowState } from '../workflow/workflow.decider.js';
import { normalizeChannelName } from './channel-name.js';
import { ChannelAlreadyExistsError, ChannelIsPreviewError, ChannelNotFoundError } from './channel.errors.js';
import type { ChannelEvent, ChannelType } from './channel.events.js';

export interface ActiveChannel {
  status: 'active';
  channelId: string;
  workspace: string;
  channelType: ChannelType;
  name: string;
  workflowId: string | undefined;
  config: Record<string, unknown>;
  sealedSecrets: string | undefined;
  /** The workflow this channel is the Try it preview of. */
  previewOf: string | undefined;
}

export type ChannelState = { status: 'initial' } | ActiveChannel;

const initialChannelState: ChannelState = { status: 'initial' };

/** `config` is the channel's settings; its secrets arrive already sealed. */
export interface CreateChannel {
  type: 'CreateChannel';
  data: {
    channelId: string;
    workspace: string;
    channelType: ChannelType;
    name: unknown;
    config: Record<string, unknown>;
    sealedSecrets?: string;
    previewOf?: string;
  };
}

/** `workflow` is the assigned workflow's state, loaded from its own stream by the caller. */
export interface AssignWorkflow {
  type: 'AssignWorkflow';
  data: { channelId: string; workspace: string; workflowId: string; workflow: WorkflowState };
}

export interface UnassignWorkflow {
  type: 'UnassignWorkflow';
  data: { channelId: string; workspace: string };
}

/** Issued by the engine when a workflow is deleted: only that workflow is taken off the channel. */
export interface UnassignDeletedWorkflow {
  type: 'UnassignDeletedWorkflow';
  data: { channelId: string; workflowId: string };
}

export interface RenameChannel {
  type: 'RenameChannel';
  data: { channelId: string; workspace: string; name: unknown };
}

export type ChannelCommand = CreateChannel | AssignWorkflow | UnassignWorkflow | UnassignDeletedWorkflow | RenameChannel;

function decideChannel(command: ChannelCommand, state: ChannelState): ChannelEvent[] {
  switch (command.type) {
    case 'CreateChannel': {
      if (state.status !== 'initial') throw new ChannelAlreadyExistsError(command.data.channelId);
      const { name, ...created } = command.data;
      return [{ type: 'ChannelCreated', data: { ...created, name: normalizeChannelName(name) } }];
    }
    case 'AssignWorkflow': {
      const channel = requireChannel(state, command.data);
      const { workflowId, workflow } = command.data;
      if (workflow.status !== 'active' || workflow.workspace !== channel.workspace) {
        throw new WorkflowNotFoundError(workflowId);
      }
      if (channel.previewOf !== undefined && workflowId !== channel.previewOf)
        throw new ChannelIsPreviewError(channel.channelId, channel.previewOf);
      if (channel.workflowId === workflowId) return [];
      return [
        {
          type: 'ChannelWorkflowAssigned',
          data: {
            channelId: channel.channelId,
            workflowId,
            ...(channel.workflowId === undefined ? {} : { previousWorkflowId: channel.workflowId }),
          },
        },
      ];
    }
    case 'UnassignWorkflow': {
      const channel = requireChannel(state, command.data);
      if (channel.previewOf !== undefined) throw new ChannelIsPreviewError(channel.channelId, channel.previewOf);
      if (channel.workflowId === undefined) return [];
      return [
        { type: 'ChannelWorkflowUnassigned', data: { channelId: channel.channelId, workflowId: channel.workflowId, reason: 'unassigned' } },
      ];
    }
    case 'RenameChannel': {
      const channel = requireChannel(state, command.data);
      const name = normalizeChannelName(command.data.name);
      if (name === channel.name) return [];
      return [{ type: 'ChannelRenamed', data: { channelId: channel.channelId, name, previousName: channel.name } }];
    }
    case 'UnassignDeletedWorkflow': {
      if (state.status !== 'active' || state.workflowId !== command.data.workflowId) return [];
      return [
        {
          type: 'ChannelWorkflowUnassigned',
          data: { channelId: state.channelId, workflowId: command.data.workflowId, reason: 'workflow_deleted' },
        },
      ];
    }
  }
}

function evolveChannel(state: ChannelState, event: ChannelEvent): ChannelState {
  switch (event.type) {
    case 'ChannelCreated': {
      const { channelId, workspace, channelType, name, config, sealedSecrets, previewOf } = event.data;
      return { status: 'active', channelId, workspace, channelType, name, workflowId: undefined, config, sealedSecrets, previewOf };
    }
    case 'ChannelWorkflowAssigned':
      return state.status === 'active' ? { ...state, workflowId: event.data.workflowId } : state;
    case 'ChannelWorkflowUnassigned':
      return state.status === 'active' ? { ...state, workflowId: undefined } : state;
    case 'ChannelRenamed':
      return state.status === 'active' ? { ...state, name: event.data.name } : state;
  }
}

export const channelDecider: Decider<ChannelState, ChannelCommand, ChannelEvent> = {
  decide: decideChannel,
  evolve: evolveChannel,
  initialState: () => initialChannelState,
};

/** Another workspace's channel is indistinguishable from a missing one. */
function requireChannel(state: ChannelState, command: { channelId: string; workspace: string }): ActiveChannel {
  if (state.status !== 'active' || state.workspace !== command.workspace) {
    throw new ChannelNotFoundError(command.channelId);
  }
  return state;
}
