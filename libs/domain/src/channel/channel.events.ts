export const CHANNEL_TYPES = ['webchat', 'whatsapp', 'messenger'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface ChannelCreated {
  type: 'ChannelCreated';
  /** `config` holds no secrets: adapters that need them keep them outside the log. */
  data: { channelId: string; workspace: string; channelType: ChannelType; name: string; config: Record<string, unknown> };
}

export interface ChannelWorkflowAssigned {
  type: 'ChannelWorkflowAssigned';
  data: { channelId: string; workflowId: string; previousWorkflowId?: string };
}

export interface ChannelWorkflowUnassigned {
  type: 'ChannelWorkflowUnassigned';
  data: { channelId: string; workflowId: string; reason: 'unassigned' | 'workflow_deleted' };
}

export type ChannelEvent = ChannelCreated | ChannelWorkflowAssigned | ChannelWorkflowUnassigned;

export const channelStreamName = (channelId: string): string => `channel-${channelId}`;
