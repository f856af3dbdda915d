export const CHANNEL_TYPES = ['webchat', 'whatsapp', 'messenger'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface ChannelCreated {
  type: 'ChannelCreated';
  /**
   * `config` holds the settings that may be shown; the secrets are only in `sealedSecrets`,
   * encrypted with the service's channel-secrets key, so the log never holds them in plain text.
   */
  data: {
    channelId: string;
    workspace: string;
    channelType: ChannelType;
    name: string;
    config: Record<string, unknown>;
    sealedSecrets?: string;
  };
}

/**
 * A push channel's webhook delivery, recorded as the provider sent it once its signature was
 * verified; the engine turns it into messages and receipts from the log.
 */
export interface ChannelWebhookReceived {
  type: 'ChannelWebhookReceived';
  data: { channelId: string; channelType: ChannelType; payload: unknown; receivedAt: string };
}

/** What the provider said about a message sent to a customer (`delivered`, `read`, …). */
export interface DeliveryReceiptReceived {
  type: 'DeliveryReceiptReceived';
  data: { channelId: string; providerMessageId: string; status: string; contactId?: string; at?: string };
}

export const webhookStreamName = (channelId: string): string => `webhooks-${channelId}`;
export const deliveryReceiptsStreamName = (channelId: string): string => `receipts-${channelId}`;

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
