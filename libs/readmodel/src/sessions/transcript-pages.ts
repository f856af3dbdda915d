import type { ReadModelStore } from '../read-model-store.port.js';
import { CONVERSATION_MESSAGES_COLLECTION, type ConversationMessageDocument, conversationKey, SEQ_DIGITS } from './sessions.projection.js';

/** Where a page of a transcript starts: after or before a message's place (its `seq`), or the newest messages. */
export type TranscriptPageStart = { after: string } | { before: string } | { newest: true };

export interface TranscriptPage {
  /** Oldest first. */
  messages: ConversationMessageDocument[];
  /** Pass as `after` for the messages that follow (the same cursor again while there are none yet). */
  next: string;
  /** Pass as `before` for the page before this one; null when this page reaches the start. */
  previous: string | null;
}

/** The place before the first message: `after` it is the whole transcript. */
export const TRANSCRIPT_START = '0'.repeat(SEQ_DIGITS);
/** The last place a cursor's digits can name; no conversation gets near it. */
const LAST_SEQ = 10 ** SEQ_DIGITS - 1;
/** The place after `seq`, still a cursor that `before` takes when `seq` is the last place. */
const seqFollowing = (seq: string): string => String(Math.min(Number(seq) + 1, LAST_SEQ)).padStart(SEQ_DIGITS, '0');

/** What a cursor looks like as clients send it back: a place in the transcript, in digits. */
export const TRANSCRIPT_CURSOR_PATTERN = new RegExp(`^\\d{1,${SEQ_DIGITS}}$`);
/** A cursor of that shape as the transcript orders places. */
export const transcriptCursor = (value: string): string => value.padStart(SEQ_DIGITS, '0');
// Message ids are compared after seq only to break ties, and seqs are unique within a conversation;
// these bounds make "after seq" and "before seq" exclusive of that seq whatever its message id.
const ABOVE_EVERY_ID = '\u{10FFFF}';
const BELOW_EVERY_ID = '';

/**
 * One page of a conversation's transcript, at most `limit` messages, in order. Reads go through
 * the (conversationKey, seq) index, so a page costs the same however long the transcript is.
 */
export async function transcriptPage(
  store: ReadModelStore,
  workspace: string,
  conversation: { channelId: string; contactId: string },
  start: TranscriptPageStart,
  limit: number,
): Promise<TranscriptPage> {
  const where = { conversationKey: conversationKey(conversation.channelId, conversation.contactId) };
  const query = { workspace, where, orderBy: 'seq', limit } as const;
  if ('after' in start) {
    const messages = await store.list<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, {
      ...query,
      order: 'asc',
      after: { value: start.after, id: ABOVE_EVERY_ID },
    });
    // Seqs count a conversation's messages from 1: whatever comes before the first one is older.
    const first = messages[0]?.seq ?? seqFollowing(start.after);
    return { messages, next: messages.at(-1)?.seq ?? start.after, previous: Number(first) > 1 ? first : null };
  }
  const newestFirst = await store.list<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, {
    ...query,
    limit: limit + 1,
    ...('before' in start ? { before: { value: start.before, id: BELOW_EVERY_ID } } : {}),
  });
  const messages = newestFirst.slice(0, limit).reverse();
  const hasOlder = newestFirst.length > limit;
  const newest = messages.at(-1)?.seq;
  return {
    messages,
    next: 'before' in start ? (newest ?? start.before) : (newest ?? TRANSCRIPT_START),
    previous: hasOlder ? messages[0].seq : null,
  };
}

/**
 * The page after a client's cursor: a cursor past the conversation's newest message (one no page
 * ever gave) would otherwise come back as `next` for good, and the client never see a new
 * message; `next` is then the newest message's place. Kept out of `transcriptPage`, which a
 * waiting widget reads after a message it knows, again and again.
 */
export async function transcriptPageAfterCursor(
  store: ReadModelStore,
  workspace: string,
  conversation: { channelId: string; contactId: string },
  after: string,
  limit: number,
): Promise<TranscriptPage> {
  const page = await transcriptPage(store, workspace, conversation, { after }, limit);
  if (page.messages.length > 0) return page;
  const [newest] = await store.list<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, {
    workspace,
    where: { conversationKey: conversationKey(conversation.channelId, conversation.contactId) },
    orderBy: 'seq',
    limit: 1,
  });
  const end = newest?.seq ?? TRANSCRIPT_START;
  return end < after ? { messages: [], next: end, previous: newest === undefined ? null : seqFollowing(end) } : page;
}

/** A message of the conversation, if it is one of its messages. */
export async function conversationMessage(
  store: ReadModelStore,
  workspace: string,
  conversation: { channelId: string; contactId: string },
  messageId: string,
): Promise<ConversationMessageDocument | undefined> {
  const message = await store.get<ConversationMessageDocument>(CONVERSATION_MESSAGES_COLLECTION, messageId);
  const key = conversationKey(conversation.channelId, conversation.contactId);
  return message?.workspace === workspace && message.conversationKey === key ? message : undefined;
}
