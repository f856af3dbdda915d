/**
 * The conversation stream's decider: a contact's message goes to the session the contact is in,
 * or starts a session of the channel's workflow, or — with no workflow assigned, or with the
 * channel at its cap of open sessions — goes nowhere.
 * Each message is routed once: the routing is recorded before the session acts on it, so a
 * message handled again after a crash goes to the same session as the first time.
 */
import type { Decider } from '../decider.js';
import { CorruptStreamError } from '../errors.js';
import type { ConversationEvent, MessageReceived } from './conversation.events.js';

/** Where a message went: to a session (maybe one it started), or nowhere. */
export type MessageRoute = { sessionId: string; workflowId: string; startsSession: boolean } | 'not_routed';

/**
 * What routing needs of a conversation, kept small however long it grows: the latest messages by
 * id (no texts) with where each went, and the session the latest routed message went to.
 */
export interface ConversationState {
  channelId?: string;
  contactId?: string;
  /**
   * The latest messages received, oldest first, each with its route once it has one. Routed
   * messages beyond the last `RECENT_MESSAGES` are forgotten; unrouted ones never are.
   */
  messages: ReadonlyMap<string, MessageRoute | undefined>;
  /** The session the latest routed message went to. */
  lastSessionId?: string;
}

/**
 * How many routed messages a conversation remembers: a message delivered again (Meta retries a
 * webhook) or handled again after a crash is always one of the latest, long before this many
 * newer ones arrive from the same contact.
 */
export const RECENT_MESSAGES = 256;

const initialConversationState: ConversationState = { messages: new Map() };

/** The route recorded for a message, if it has one. */
export const recordedRoute = (state: ConversationState, messageId: string): MessageRoute | undefined => state.messages.get(messageId);

/** A message arriving on a channel. */
export interface ReceiveMessage {
  type: 'ReceiveMessage';
  data: MessageReceived['data'];
}

/** How many sessions a channel has open, and the most it may have. */
export interface ChannelSessionCount {
  open: number;
  max: number;
}

/** A new session may start on a channel only below its cap. */
export const channelHasRoomForSession = ({ open, max }: ChannelSessionCount): boolean => open < max;

/**
 * Routes a received message. The caller loads what routing depends on from their own streams:
 * whether the conversation's latest session is still active, and the workflow the channel has
 * assigned now (absent: none, or it was deleted). `newSessionId` is used when a session starts.
 * `channelSessions` is what the session engine counts on the channel (absent: no cap); the
 * message is routed once, so a refusal stays what it was however often it is handled again.
 */
export interface RouteMessage {
  type: 'RouteMessage';
  data: {
    messageId: string;
    lastSessionActive: boolean;
    lastSessionWorkflowId?: string;
    assignedWorkflowId?: string;
    newSessionId: string;
    channelSessions?: ChannelSessionCount;
  };
}

export type ConversationCommand = ReceiveMessage | RouteMessage;

function decideConversation(command: ConversationCommand, state: ConversationState): ConversationEvent[] {
  switch (command.type) {
    case 'ReceiveMessage':
      return state.messages.has(command.data.messageId) ? [] : [{ type: 'MessageReceived', data: command.data }];
    case 'RouteMessage':
      return routeMessage(command.data, state);
  }
}

function routeMessage(command: RouteMessage['data'], state: ConversationState): ConversationEvent[] {
  const { messageId } = command;
  const { channelId, contactId } = state;
  if (!state.messages.has(messageId) || channelId === undefined || contactId === undefined) {
    throw new CorruptStreamError(`Message ${messageId} was never received on this conversation`);
  }
  if (state.messages.get(messageId) !== undefined) return [];
  if (command.lastSessionActive && state.lastSessionId !== undefined && command.lastSessionWorkflowId !== undefined) {
    const route = { sessionId: state.lastSessionId, workflowId: command.lastSessionWorkflowId, startsSession: false };
    return [{ type: 'MessageRoutedToSession', data: { channelId, contactId, messageId, ...route } }];
  }
  if (command.assignedWorkflowId === undefined) {
    return [{ type: 'MessageNotRouted', data: { channelId, contactId, messageId, reason: 'no_workflow' } }];
  }
  const { channelSessions } = command;
  if (channelSessions !== undefined && !channelHasRoomForSession(channelSessions)) {
    const { open: openSessions, max: maxOpenSessions } = channelSessions;
    const refused = { workflowId: command.assignedWorkflowId, reason: 'channel_session_cap', openSessions, maxOpenSessions } as const;
    return [{ type: 'SessionRefused', data: { channelId, contactId, messageId, ...refused } }];
  }
  const route = { sessionId: command.newSessionId, workflowId: command.assignedWorkflowId, startsSession: true };
  return [{ type: 'MessageRoutedToSession', data: { channelId, contactId, messageId, ...route } }];
}

function evolveConversation(state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.type) {
    case 'MessageReceived': {
      const { channelId, contactId, messageId } = event.data;
      if (state.messages.has(messageId)) return state;
      return { ...state, channelId, contactId, messages: remembered(state.messages, messageId, undefined) };
    }
    case 'MessageRoutedToSession': {
      const { messageId, sessionId, workflowId, startsSession } = event.data;
      const messages = remembered(state.messages, messageId, { sessionId, workflowId, startsSession });
      return { ...state, messages, lastSessionId: sessionId };
    }
    case 'MessageNotRouted':
    case 'SessionRefused':
      return { ...state, messages: remembered(state.messages, event.data.messageId, 'not_routed') };
  }
}

export const conversationDecider: Decider<ConversationState, ConversationCommand, ConversationEvent> = {
  decide: decideConversation,
  evolve: evolveConversation,
  initialState: () => initialConversationState,
};

/** The messages with one more (or one routed), less the oldest routed ones beyond the bound. */
function remembered(
  messages: ReadonlyMap<string, MessageRoute | undefined>,
  messageId: string,
  route: MessageRoute | undefined,
): ReadonlyMap<string, MessageRoute | undefined> {
  const next = new Map(messages).set(messageId, route);
  for (const [id, known] of next) {
    if (next.size <= RECENT_MESSAGES) break;
    if (known !== undefined) next.delete(id);
  }
  return next;
}
