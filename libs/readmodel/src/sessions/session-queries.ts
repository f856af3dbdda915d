import type { ReadModelStore } from '../read-model-store.port.js';
import {
  CONVERSATION_MESSAGES_COLLECTION,
  type ConversationMessageDocument,
  conversationKey,
  SESSIONS_COLLECTION,
  type SessionDocument,
} from './sessions.projection.js';

const MESSAGE_PAGE_SIZE = 500;

/** The whole transcript of one contact on one channel, oldest message first. */
export function listConversationMessages(
  store: ReadModelStore,
  workspace: string,
  channelId: string,
  contactId: string,
): Promise<ConversationMessageDocument[]> {
  return listMessagesInOrder(store, workspace, { conversationKey: conversationKey(channelId, contactId) });
}

/** The messages of one session, both directions, oldest first. */
export function listSessionMessages(
  store: ReadModelStore,
  workspace: string,
  sessionId: string,
): Promise<ConversationMessageDocument[]> {
  return listMessagesInOrder(store, workspace, { sessionId });
}

/** Up to `limit` sessions of a workflow, newest start first, optionally only those with `status`. */
export function listWorkflowSessions(
  store: ReadModelStore,
  workspace: string,
  workflowId: string,
  status: SessionDocument['status'] | undefined,
  limit: number,
): Promise<SessionDocument[]> {
  return store.list<SessionDocument>(SESSIONS_COLLECTION, {
    workspace,
    where: status ? { workflowId, status } : { workflowId },
    orderBy: 'startedAt',
    limit,
  });
}

/** Reads every matching message page by page (the store lists newest first), then puts them oldest first. */
async function listMessagesInOrder(
  store: ReadModelStore,
  workspace: string,
  where: Record<string, string>,
): Promise<ConversationMessageDocument[]> {
  const newestFirst: ConversationMessageDocument[] = [];
  let before: { value: string; id: string } | undefined;
  for (;;) {
    const page = await store.list<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, {
      workspace,
      where,
      orderBy: 'seq',
      before,
      limit: MESSAGE_PAGE_SIZE,
    });
    newestFirst.push(...page);
    const last = page.at(-1);
    if (!last || page.length < MESSAGE_PAGE_SIZE) return newestFirst.reverse();
    before = { value: last.seq, id: last.id };
  }
}
