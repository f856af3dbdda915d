/**
 * Child process: web chat contacts writing at once, each sending its messages one after another
 * and waiting for the reply to each with the transcript's long poll (`waitFor`) before the next.
 */
import { Progress } from '../../apps/cli/src/progress.js';
import { Visitor, type TranscriptMessage } from '../support/conversations.js';
import { answerParent, childInput } from './child-script.js';
import { KeepAliveJsonClient } from './keep-alive-client.js';

export interface ContactsLoadInput {
  baseUrl: string;
  channelId: string;
  contacts: number;
  messagesPerContact: number;
  /** How long one message may wait for its reply before its contact gives up. */
  replyTimeoutMs: number;
}

export interface ContactsLoadResult {
  answered: number;
  unanswered: number;
  elapsedMs: number;
  /** From sending the message to holding its reply, one per answered message, ascending. */
  latenciesMs: number[];
  firstFailure?: string;
}

/** Pause before asking again when an answer held no reply: a server that does not wait returns at once. */
const ASK_AGAIN_AFTER_MS = 10;

const { baseUrl, channelId, contacts, messagesPerContact, replyTimeoutMs } = childInput<ContactsLoadInput>();
// Web chat routes are public: the client never signs a token.
const client = new KeepAliveJsonClient(baseUrl);

/**
 * Waits for a reply to `messageId`: an outbound message after it, recorded since `sentAtMs`. A
 * server that honours `waitFor` answers with the messages after it once a reply is among them;
 * one that does not answers at once with the latest page, so the answer is checked and, without
 * a reply, asked again.
 */
async function awaitReply(visitor: Visitor, messageId: string, sentAtMs: number, deadline: number): Promise<void> {
  const path = `/webchat/${channelId}/contacts/${visitor.contactId}/messages?waitFor=${encodeURIComponent(messageId)}`;
  for (;;) {
    const response = await client.request<{ items: TranscriptMessage[] }>('GET', path, { token: null });
    if (response.status === 200) {
      const { items } = response.body;
      const afterSent = items.slice(items.findIndex(({ id }) => id === messageId) + 1);
      if (afterSent.some(({ direction, at }) => direction === 'outbound' && Date.parse(at) >= sentAtMs)) return;
    }
    if (Date.now() > deadline) throw new Error(`no reply to ${messageId} within ${replyTimeoutMs} ms (last answer ${response.status})`);
    await new Promise((resolve) => setTimeout(resolve, ASK_AGAIN_AFTER_MS));
  }
}

const total = contacts * messagesPerContact;
const progress = new Progress('web chat messages answered', total, 'messages');
const result: ContactsLoadResult = { answered: 0, unanswered: 0, elapsedMs: 0, latenciesMs: [] };
const startedAt = performance.now();
await Promise.all(
  Array.from({ length: contacts }, async (_, contact) => {
    const visitor = new Visitor(client, channelId);
    for (let sent = 0; sent < messagesPerContact; sent++) {
      const sentAt = performance.now();
      const sentAtMs = Date.now();
      try {
        const { messageId } = await visitor.say(sent === 0 ? 'Hi there' : `Answer ${sent}`, sent === 0 ? `Contact ${contact}` : undefined);
        await awaitReply(visitor, messageId, sentAtMs, sentAtMs + replyTimeoutMs);
      } catch (error) {
        result.unanswered += messagesPerContact - sent;
        result.firstFailure ??= error instanceof Error ? error.message : String(error);
        return;
      }
      result.latenciesMs.push(performance.now() - sentAt);
      result.answered += 1;
      progress.update(result.answered);
    }
  }),
);
result.elapsedMs = performance.now() - startedAt;
result.latenciesMs.sort((a, b) => a - b);
progress.finish(`${result.answered} answered, ${result.unanswered} not`);
client.close();
answerParent(result);
