/**
 * The conversation stream's decider: a contact's message goes to the session the contact is in,
 * or starts a session of the channel's workflow, or — with no workflow assigned — goes nowhere.
 * Each message is routed once: the routing is recorded before the session acts on it, so a
 * message handled again after a crash goes to the same session as the first time.
 */
import { CorruptStreamError } from '../errors.js';
import type { ConversationEvent, MessageReceived } from './conversation.events.js';

/** Where a message went: to a session (maybe one it started), or nowhere. */
export type MessageRoute = { sessionId: string; workflowId: string; startsSession: boolean } | 'not_routed';

export interface ConversationState {
  channelId?: string;
  contactId?: string;
  /** Every message received, by id, so that one sent twice is recorded once. */
  received: ReadonlyMap<string, MessageReceived['data']>;
  /** Where each routed message went. */
  routed: ReadonlyMap<string, MessageRoute>;
  /** The session the latest routed message went to. */
  lastSessionId?: string;
}

export const initialConversationState: ConversationState = { received: new Map(), routed: new Map() };

/** A message arriving on a channel. */
export interface ReceiveMessage {
  type: 'ReceiveMessage';
  data: MessageReceived['data'];
}

/**
 * Routes a received message. The caller loads what routing depends on from their own streams:
 * whether the conversation's latest session is still active, and the workflow the channel has
 * assigned now (absent: none, or it was deleted). `newSessionId` is used when a session starts.
 */
export interface RouteMessage {
  type: 'RouteMessage';
  data: {
    messageId: string;
    lastSessionActive: boolean;
    lastSessionWorkflowId?: string;
    assignedWorkflowId?: string;
    newSessionId: string;
  };
}

export type ConversationCommand = ReceiveMessage | RouteMessage;

export function decideConversation(command: ConversationCommand, state: ConversationState): ConversationEvent[] {
  switch (command.type) {
    case 'ReceiveMessage':
      return state.received.has(command.data.messageId) ? [] : [{ type: 'MessageReceived', data: command.data }];
    case 'RouteMessage':
      return routeMessage(command.data, state);
  }
}

function routeMessage(command: RouteMessage['data'], state: ConversationState): ConversationEvent[] {
  const { messageId } = command;
  const message = state.received.get(messageId);
  if (message === undefined) throw new CorruptStreamError(`Message ${messageId} was never received on this conversation`);
  if (state.routed.has(messageId)) return [];
  const { channelId, contactId } = message;
  if (command.lastSessionActive && state.lastSessionId !== undefined && command.lastSessionWorkflowId !== undefined) {
    const route = { sessionId: state.lastSessionId, workflowId: command.lastSessionWorkflowId, startsSession: false };
    return [{ type: 'MessageRoutedToSession', data: { channelId, contactId, messageId, ...route } }];
  }
  if (command.assignedWorkflowId === undefined) {
    return [{ type: 'MessageNotRouted', data: { channelId, contactId, messageId, reason: 'no_workflow' } }];
  }
  const route = { sessionId: command.newSessionId, workflowId: command.assignedWorkflowId, startsSession: true };
  return [{ type: 'MessageRoutedToSession', data: { channelId, contactId, messageId, ...route } }];
}

export function evolveConversation(state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.type) {
    case 'MessageReceived': {
      const { channelId, contactId, messageId } = event.data;
      return { ...state, channelId, contactId, received: new Map(state.received).set(messageId, event.data) };
    }
    case 'MessageRoutedToSession': {
      const { messageId, sessionId, workflowId, startsSession } = event.data;
      const routed = new Map(state.routed).set(messageId, { sessionId, workflowId, startsSession });
      return { ...state, routed, lastSessionId: sessionId };
    }
    case 'MessageNotRouted':
      return { ...state, routed: new Map(state.routed).set(event.data.messageId, 'not_routed') };
  }
}

export const foldConversation = (events: readonly ConversationEvent[]): ConversationState =>
  events.reduce(evolveConversation, initialConversationState);
