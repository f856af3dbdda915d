import type { ReadModelStore } from '../read-model-store.port.js';
import {
  CONVERSATION_MESSAGES_COLLECTION,
  type ConversationMessageDocument,
  SESSIONS_COLLECTION,
  type SessionDocument,
} from './sessions.projection.js';

const MESSAGE_PAGE_SIZE = 500;

/** The messages of one session, both directions, oldest first. */
export function listSessionMessages(store: ReadModelStore, workspace: string, sessionId: string): Promise<ConversationMessageDocument[]> {
  return listMessagesInOrder(store, workspace, { sessionId });
}

/**
 * Up to `limit` sessions of a workflow, newest start first, optionally only those with `status`;
 * after a first page, those that started before `before` (the `startedAt` and id of its last).
 */
export function listWorkflowSessions(
  store: ReadModelStore,
  workspace: string,
  workflowId: string,
  status: SessionDocument['status'] | undefined,
  { limit, before }: { limit: number; before?: { value: string; id: string } },
): Promise<SessionDocument[]> {
  return store.list<SessionDocument>(SESSIONS_COLLECTION, {
    workspace,
    where: status ? { workflowId, status } : { workflowId },
    orderBy: 'startedAt',
    before,
    limit,
  });
}

/** Reads every matching message page by page, oldest first. */
async function listMessagesInOrder(
  store: ReadModelStore,
  workspace: string,
  where: Record<string, string>,
): Promise<ConversationMessageDocument[]> {
  const messages: ConversationMessageDocument[] = [];
  for (;;) {
    const last = messages.at(-1);
    const page = await store.list<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, {
      workspace,
      where,
      orderBy: 'seq',
      order: 'asc',
      after: last && { value: last.seq, id: last.id },
      limit: MESSAGE_PAGE_SIZE,
    });
    messages.push(...page);
    if (page.length < MESSAGE_PAGE_SIZE) return messages;
  }
}
