import {
  SESSION_END_EVENT_TYPES,
  type AnswerAccepted,
  type MessageChoice,
  type MessageReceived,
  type MessageRoutedToSession,
  type MessageSent,
  type SessionEnded,
  type SessionStarted,
  type StepEntered,
} from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, type Recorded, recordedEventsOf } from '../projection.js';
import type { ProjectionTransaction, ReadModelDocument } from '../read-model-store.port.js';

export const SESSIONS_PROJECTION = 'sessions';
export const SESSIONS_COLLECTION = 'sessions';
export const CONVERSATION_MESSAGES_COLLECTION = 'conversation-messages';
/** One counter per conversation: where the next message of its transcript goes. */
export const CONVERSATIONS_COLLECTION = 'conversations';

/** A session as the admin page shows it; `id` is the session id. */
export interface SessionDocument extends ReadModelDocument {
  workflowId: string;
  workflowVersion: number;
  channelId: string;
  contactId: string;
  contactName: string | null;
  status: 'active' | 'ended';
  currentStepId: string | null;
  variables: Record<string, string | number>;
  endReason: string | null;
  team: string | null;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
  /** Revision of the last session-stream event applied: an event at or below it was seen before. */
  lastRevision: number;
}

/** One message of a conversation's transcript, either way; `id` is the message id. */
export interface ConversationMessageDocument extends ReadModelDocument {
  channelId: string;
  contactId: string;
  conversationKey: string;
  /** Null until the inbound message is routed to a session. */
  sessionId: string | null;
  direction: 'inbound' | 'outbound';
  text: string;
  choices: MessageChoice[] | null;
  at: string;
  /** Position in its conversation, zero-padded so that text order is transcript order. */
  seq: string;
}

/** `id` is the conversation key. */
export interface ConversationDocument extends ReadModelDocument {
  channelId: string;
  contactId: string;
  messageCount: number;
}

export const conversationKey = (channelId: string, contactId: string): string => `${channelId}/${contactId}`;

export const SEQ_DIGITS = 12;

/** The session-stream events that follow a start. */
type SessionUpdate = StepEntered | AnswerAccepted | MessageSent | SessionEnded;

type SessionsEvent = SessionStarted | SessionUpdate | MessageReceived | MessageRoutedToSession;

const handledEvent = recordedEventsOf<SessionsEvent>(
  'SessionStarted',
  'StepEntered',
  'AnswerAccepted',
  'MessageSent',
  ...SESSION_END_EVENT_TYPES,
  'MessageReceived',
  'MessageRoutedToSession',
);

type SessionChange = Partial<Pick<SessionDocument, 'currentStepId' | 'variables' | 'status' | 'endReason' | 'team' | 'endedAt'>>;

/**
 * Sessions with their progress, and the transcript of every conversation, both directions, in
 * order. Session-stream events are applied in stream order by their revision; messages are added
 * once by their id.
 */
export const sessionsProjection: Projection = {
  name: SESSIONS_PROJECTION,
  collections: [SESSIONS_COLLECTION, CONVERSATION_MESSAGES_COLLECTION, CONVERSATIONS_COLLECTION],
  indexes: [
    // A workflow's sessions, all of them or by status, newest start first.
    { collection: SESSIONS_COLLECTION, equals: ['workflowId'], orderBy: 'startedAt' },
    { collection: SESSIONS_COLLECTION, equals: ['workflowId', 'status'], orderBy: 'startedAt' },
    // A conversation's transcript, and a session's, in order.
    { collection: CONVERSATION_MESSAGES_COLLECTION, equals: ['conversationKey'], orderBy: 'seq' },
    { collection: CONVERSATION_MESSAGES_COLLECTION, equals: ['sessionId'], orderBy: 'seq' },
  ],

  async apply(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const event = handledEvent(recorded);
    if (!event) return;

    switch (event.type) {
      case 'SessionStarted':
        return startSession(tx, event);
      case 'StepEntered':
        return advanceSession(tx, event, () => ({ currentStepId: event.data.stepId }));
      case 'AnswerAccepted':
        return advanceSession(tx, event, (session) => ({
          variables: { ...session.variables, [event.data.variable]: event.data.value },
        }));
      case 'MessageSent':
        await recordSentMessage(tx, event);
        // Sending is activity of the session too: it moves its revision and `updatedAt`.
        return advanceSession(tx, event, () => ({}));
      case 'SessionCompleted':
        return endSession(tx, event, event.data.reason, event.data.team ?? null);
      case 'SessionDeactivated':
        return endSession(tx, event, 'deactivated', null);
      case 'SessionExpired':
        return endSession(tx, event, 'expired', null);
      case 'SessionTerminated':
        return endSession(tx, event, 'terminated', null);
      case 'MessageReceived': {
        const { channelId, contactId, messageId, text, receivedAt } = event.data;
        return appendMessage(tx, event.metadata.workspace, {
          id: messageId,
          channelId,
          contactId,
          sessionId: null,
          direction: 'inbound',
          text,
          choices: null,
          at: receivedAt,
        });
      }
      case 'MessageRoutedToSession':
        return routeMessage(tx, event);
    }
  },
};

async function startSession(tx: ProjectionTransaction, event: Recorded<SessionStarted>): Promise<void> {
  const { sessionId, workflowId, workflowVersion, channelId, contactId, contactName, startedAt } = event.data;
  // A redelivered start must not reset a session that has moved on.
  if (await tx.get(SESSIONS_COLLECTION, sessionId)) return;
  const session: SessionDocument = {
    id: sessionId,
    workspace: event.metadata.workspace,
    workflowId,
    workflowVersion,
    channelId,
    contactId,
    contactName: contactName ?? null,
    status: 'active',
    currentStepId: null,
    variables: {},
    endReason: null,
    team: null,
    startedAt,
    endedAt: null,
    updatedAt: event.metadata.occurredAt,
    lastRevision: event.revision,
  };
  tx.put(SESSIONS_COLLECTION, session);
}

async function findSession(tx: ProjectionTransaction, sessionId: string, workspace: string): Promise<SessionDocument | undefined> {
  const session = await tx.get<SessionDocument>(SESSIONS_COLLECTION, sessionId);
  return session?.workspace === workspace ? session : undefined;
}

/** Applies one session-stream event once: an event at or below the last revision applied was seen before. */
async function advanceSession(
  tx: ProjectionTransaction,
  event: Recorded<SessionUpdate>,
  change: (session: SessionDocument) => SessionChange,
): Promise<void> {
  const session = await findSession(tx, event.data.sessionId, event.metadata.workspace);
  if (!session || event.revision <= session.lastRevision) return;
  tx.put(SESSIONS_COLLECTION, {
    ...session,
    ...change(session),
    lastRevision: event.revision,
    updatedAt: event.metadata.occurredAt,
  } satisfies SessionDocument);
}

/** Only the first end counts: an ended session keeps the reason and time it ended with. */
function endSession(tx: ProjectionTransaction, event: Recorded<SessionEnded>, endReason: string, team: string | null): Promise<void> {
  return advanceSession(tx, event, (session) =>
    session.status === 'ended' ? {} : { status: 'ended', endReason, team, endedAt: event.metadata.occurredAt },
  );
}

/** An outbound message goes to the conversation of its session, which must be known. */
async function recordSentMessage(tx: ProjectionTransaction, event: Recorded<MessageSent>): Promise<void> {
  const { sessionId, messageId, text, choices } = event.data;
  const session = await findSession(tx, sessionId, event.metadata.workspace);
  if (!session) return;
  await appendMessage(tx, event.metadata.workspace, {
    id: messageId,
    channelId: session.channelId,
    contactId: session.contactId,
    sessionId,
    direction: 'outbound',
    text,
    choices: choices ?? null,
    at: event.recordedAt,
  });
}

/** A message as an event tells it, before it has a place in its conversation. */
type NewMessage = Pick<
  ConversationMessageDocument,
  'id' | 'channelId' | 'contactId' | 'sessionId' | 'direction' | 'text' | 'choices' | 'at'
>;

/**
 * Adds a message at the end of its conversation's transcript, once: the message id is the guard,
 * so a redelivered message neither appears twice nor moves the counter.
 */
async function appendMessage(tx: ProjectionTransaction, workspace: string, message: NewMessage): Promise<void> {
  if (await tx.get(CONVERSATION_MESSAGES_COLLECTION, message.id)) return;
  const key = conversationKey(message.channelId, message.contactId);
  const existing = await tx.get<ConversationDocument>(CONVERSATIONS_COLLECTION, key);
  if (existing && existing.workspace !== workspace) return;
  const conversation: ConversationDocument = existing ?? {
    id: key,
    workspace,
    channelId: message.channelId,
    contactId: message.contactId,
    messageCount: 0,
  };
  const messageCount = conversation.messageCount + 1;
  tx.put(CONVERSATIONS_COLLECTION, { ...conversation, messageCount } satisfies ConversationDocument);
  tx.put(CONVERSATION_MESSAGES_COLLECTION, {
    ...message,
    workspace,
    conversationKey: key,
    seq: String(messageCount).padStart(SEQ_DIGITS, '0'),
  } satisfies ConversationMessageDocument);
}

async function routeMessage(tx: ProjectionTransaction, event: Recorded<MessageRoutedToSession>): Promise<void> {
  const { channelId, messageId, sessionId } = event.data;
  const message = await tx.get<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, messageId);
  if (
    message?.workspace !== event.metadata.workspace ||
    message.direction !== 'inbound' ||
    message.channelId !== channelId ||
    message.sessionId === sessionId
  ) {
    return;
  }
  tx.put(CONVERSATION_MESSAGES_COLLECTION, { ...message, sessionId } satisfies ConversationMessageDocument);
}
