/**
 * A channel type's name, as the channel registry of libs/channels knows it (`webchat`,
 * `whatsapp`, …). A plain string here: the domain does not enumerate channel types, and a stored
 * event may name a type that is no longer registered — resolving it through the registry says so.
 */
export type ChannelType = string;

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
    /**
     * The workflow whose Try it preview this channel is: it runs that workflow only. Absent on
     * every other channel (and on previews made before the field existed).
     */
    previewOf?: string;
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

/**
 * A channel's deliveries and receipts are spread over this many streams, so that a busy channel
 * has no single hot stream: the engine handles different streams at the same time and appends to
 * one of them never wait for each other's revision.
 */
export const CHANNEL_STREAM_SHARDS = 16;

/** FNV-1a: the same key always lands in the same shard. */
const shardOf = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % CHANNEL_STREAM_SHARDS;
};

/**
 * Where a delivery to the channel's webhook is recorded, by a key of it: the contact it is about
 * (one contact's deliveries in one stream, in order), else its own id.
 */
export const webhookStreamName = (channelId: string, shardKey: string): string => `webhooks-${channelId}-${shardOf(shardKey)}`;
/** Where receipts are recorded: those of one sent message always in the same stream, in order. */
export const deliveryReceiptsStreamName = (channelId: string, providerMessageId: string): string =>
  `receipts-${channelId}-${shardOf(providerMessageId)}`;

export interface ChannelWorkflowAssigned {
  type: 'ChannelWorkflowAssigned';
  data: { channelId: string; workflowId: string; previousWorkflowId?: string };
}

export interface ChannelWorkflowUnassigned {
  type: 'ChannelWorkflowUnassigned';
  data: { channelId: string; workflowId: string; reason: 'unassigned' | 'workflow_deleted' };
}

/** A Try it preview channel takes its workflow's new name. */
export interface ChannelRenamed {
  type: 'ChannelRenamed';
  data: { channelId: string; name: string; previousName: string };
}

export type ChannelEvent = ChannelCreated | ChannelWorkflowAssigned | ChannelWorkflowUnassigned | ChannelRenamed;

export const channelStreamName = (channelId: string): string => `channel-${channelId}`;
