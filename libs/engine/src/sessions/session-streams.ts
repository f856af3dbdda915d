import {
  type ConversationCommand,
  type ConversationState,
  type SessionCommand,
  type SessionState,
  conversationDecider,
  conversationStreamName,
  sessionDecider,
  sessionStreamName,
} from '#domain';
import type { EventStore } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import {
  type CommandOutcome,
  handleEventSourcedCommand,
  loadStream,
} from '../command-handling/event-sourced-command.js';

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
    sessionDecider,
    (state) => sessionDecider.decide(command, state),
    context,
    { retryOnConflict: true, attempts: BUSY_STREAM_ATTEMPTS },
  );

export const loadSession = async (store: EventStore, sessionId: string): Promise<SessionState> =>
  (await loadStream(store, sessionStreamName(sessionId), sessionDecider)).state;

export const handleConversationCommand = (
  store: EventStore,
  conversation: { channelId: string; contactId: string },
  command: ConversationCommand,
  context: CommandContext,
): Promise<CommandOutcome<ConversationState>> =>
  handleEventSourcedCommand(
    store,
    conversationStreamName(conversation.channelId, conversation.contactId),
    conversationDecider,
    (state) => conversationDecider.decide(command, state),
    context,
    { retryOnConflict: true, attempts: BUSY_STREAM_ATTEMPTS },
  );
