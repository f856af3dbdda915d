import { API_CHANNEL_TYPE, isPulledFrom } from '#channels';
import {
  type ChannelCreated,
  type DeliveryEvent,
  type MessageChoice,
  type MessageSent,
  SESSION_END_EVENT_TYPES,
  type SessionEnded,
  type SessionStarted,
} from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, recordedEventsOf } from '../projection.js';
import type { ProjectionTransaction, ReadModelDocument } from '../read-model-store.port.js';

export const API_CHANNEL_OUTBOX_PROJECTION = 'api-channel-outbox';
/** The API channels that pull their messages (no callback URL), with their messages' counter. */
export const API_PULL_CHANNELS_COLLECTION = 'api-pull-channels';
/** The active sessions of those channels: where their messages go. */
export const API_PULL_SESSIONS_COLLECTION = 'api-pull-sessions';
/** The messages of those channels not acknowledged yet. */
export const API_OUTBOX_MESSAGES_COLLECTION = 'api-outbox-messages';

export const API_OUTBOX_SEQ_DIGITS = 12;

/** `id` is the channel id. */
export interface ApiPullChannelDocument extends ReadModelDocument {
  messageCount: number;
}

/** `id` is the session id. */
export interface ApiPullSessionDocument extends ReadModelDocument {
  channelId: string;
  contactId: string;
  workflowId: string;
}

/** A message the bot sent on a pull-mode API channel, until the adapter acknowledges it; `id` is the message id. */
export interface ApiOutboxMessageDocument extends ReadModelDocument {
  channelId: string;
  sessionId: string;
  workflowId: string;
  contactId: string;
  text: string;
  choices: MessageChoice[];
  sentAt: string;
  /** Its place among the channel's messages, zero-padded so that text order is the order they were sent in. */
  seq: string;
}

type ApiOutboxEvent = ChannelCreated | SessionStarted | MessageSent | SessionEnded | DeliveryEvent;

const handledEvent = recordedEventsOf<ApiOutboxEvent>(
  'ChannelCreated',
  'SessionStarted',
  'MessageSent',
  ...SESSION_END_EVENT_TYPES,
  'MessageDelivered',
  'MessageDeliveryFailed',
);

/**
 * What pull-mode API channels have to collect: every message their sessions sent, in the order
 * sent, until its delivery is recorded (the adapter's acknowledgement). A redelivered event
 * changes nothing: a message is added once by its id, and only while its session is followed.
 */
export const apiChannelOutboxProjection: Projection = {
  name: API_CHANNEL_OUTBOX_PROJECTION,
  collections: [API_PULL_CHANNELS_COLLECTION, API_PULL_SESSIONS_COLLECTION, API_OUTBOX_MESSAGES_COLLECTION],
  /** A channel's undelivered messages, in order: the pull endpoint. */
  indexes: [{ collection: API_OUTBOX_MESSAGES_COLLECTION, equals: ['channelId'], orderBy: 'seq' }],

  async apply(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const event = handledEvent(recorded);
    if (!event) return;
    const { workspace } = event.metadata;
    switch (event.type) {
      case 'ChannelCreated': {
        const { channelId, channelType, config } = event.data;
        if (channelType !== API_CHANNEL_TYPE || !isPulledFrom(config)) return;
        if (await tx.get(API_PULL_CHANNELS_COLLECTION, channelId)) return;
        tx.put(API_PULL_CHANNELS_COLLECTION, { id: channelId, workspace, messageCount: 0 } satisfies ApiPullChannelDocument);
        return;
      }
      case 'SessionStarted': {
        const { sessionId, channelId, contactId, workflowId } = event.data;
        const channel = await tx.get(API_PULL_CHANNELS_COLLECTION, channelId);
        if (channel?.workspace !== workspace) return;
        tx.put(API_PULL_SESSIONS_COLLECTION, {
          id: sessionId,
          workspace,
          channelId,
          contactId,
          workflowId,
        } satisfies ApiPullSessionDocument);
        return;
      }
      case 'MessageSent':
        return addMessage(tx, event.data, workspace, event.recordedAt);
      case 'SessionCompleted':
      case 'SessionDeactivated':
      case 'SessionExpired':
      case 'SessionTerminated':
        // An ended session sends nothing more; its messages stay until acknowledged.
        tx.delete(API_PULL_SESSIONS_COLLECTION, event.data.sessionId);
        return;
      case 'MessageDelivered':
      case 'MessageDeliveryFailed':
        tx.delete(API_OUTBOX_MESSAGES_COLLECTION, event.data.messageId);
        return;
      case 'MessageDeliveryAttemptFailed':
        return;
    }
  },
};

async function addMessage(tx: ProjectionTransaction, sent: MessageSent['data'], workspace: string, sentAt: string): Promise<void> {
  const { sessionId, messageId, text, choices } = sent;
  const session = await tx.get<ApiPullSessionDocument>(API_PULL_SESSIONS_COLLECTION, sessionId);
  if (session?.workspace !== workspace || (await tx.get(API_OUTBOX_MESSAGES_COLLECTION, messageId))) return;
  const channel = await tx.get<ApiPullChannelDocument>(API_PULL_CHANNELS_COLLECTION, session.channelId);
  if (!channel) return;
  const messageCount = channel.messageCount + 1;
  tx.put(API_PULL_CHANNELS_COLLECTION, { ...channel, messageCount } satisfies ApiPullChannelDocument);
  const { channelId, contactId, workflowId } = session;
  tx.put(API_OUTBOX_MESSAGES_COLLECTION, {
    id: messageId,
    workspace,
    channelId,
    sessionId,
    workflowId,
    contactId,
    text,
    choices: choices ?? [],
    sentAt,
    seq: String(messageCount).padStart(API_OUTBOX_SEQ_DIGITS, '0'),
  } satisfies ApiOutboxMessageDocument);
}
