import {
  type ConversationCommand,
  type ConversationEvent,
  type ConversationState,
  type SessionCommand,
  type SessionEvent,
  type SessionState,
  conversationStreamName,
  decideConversation,
  decideSession,
  evolveConversation,
  evolveSession,
  initialConversationState,
  initialSessionState,
  sessionStreamName,
} from '#domain';
import type { EventStore } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import {
  type CommandOutcome,
  type StreamModel,
  handleEventSourcedCommand,
  loadStream,
} from '../command-handling/event-sourced-command.js';

export const sessionModel: StreamModel<SessionState, SessionEvent> = {
  initialState: () => initialSessionState,
  evolve: evolveSession,
};

export const conversationModel: StreamModel<ConversationState, ConversationEvent> = {
  initialState: () => initialConversationState,
  evolve: evolveConversation,
};

/**
 * A session's stream is written by the customer's messages, its timers and the AI agent at once;
 * every session command decides from the stream alone, so deciding again after a conflict is safe.
 */
const BUSY_STREAM_ATTEMPTS = 10;

export const handleSessionCommand = (
  store: EventStore,
  command: SessionCommand,
  context: CommandContext,
): Promise<CommandOutcome<SessionState>> =>
  handleEventSourcedCommand(
    store,
    sessionStreamName(command.data.sessionId),
    sessionModel,
    (state) => decideSession(command, state),
    context,
    { retryOnConflict: true, attempts: BUSY_STREAM_ATTEMPTS },
  );

export const loadSession = async (store: EventStore, sessionId: string): Promise<SessionState> =>
  (await loadStream(store, sessionStreamName(sessionId), sessionModel)).state;

export const handleConversationCommand = (
  store: EventStore,
  conversation: { channelId: string; contactId: string },
  command: ConversationCommand,
  context: CommandContext,
): Promise<CommandOutcome<ConversationState>> =>
  handleEventSourcedCommand(
    store,
    conversationStreamName(conversation.channelId, conversation.contactId),
    conversationModel,
    (state) => decideConversation(command, state),
    context,
    { retryOnConflict: true, attempts: BUSY_STREAM_ATTEMPTS },
  );
