/**
 * Fills a workspace with web chat traffic fast: messages of many contacts recorded on a channel
 * exactly as the channel's intake records them (the conversation decider, its events built by the
 * engine's command handling, appended through the event store port with the expected revision),
 * without the HTTP round trip per message.
 */
import { randomUUID } from 'node:crypto';
import { channelDecider, channelStreamName, conversationDecider, conversationStreamName } from '#domain';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState, newId } from '#engine';
import { channelContext } from '#api-commands';
import type { EventStore } from '#eventstore';
import { Progress } from '../../apps/cli/src/progress.js';

const MESSAGES_PER_CONTACT = 5;
/** Contacts writing at once: enough for group commit to batch their appends. */
const CONCURRENT_CONTACTS = 256;

/** Records `messages` messages on web chat channel `channelId`, five from each new contact. */
export async function recordContactMessages(store: EventStore, channelId: string, messages: number, label: string): Promise<void> {
  const channel = await loadState(store, channelStreamName(channelId), channelDecider);
  if (channel.status !== 'active') throw new Error(`channel ${channelId} is not active`);
  const contacts = Math.ceil(messages / MESSAGES_PER_CONTACT);
  const progress = new Progress(label, contacts * MESSAGES_PER_CONTACT, 'messages');
  let nextContact = 0;
  let recorded = 0;
  const writeContacts = async () => {
    while (nextContact < contacts) {
      const contact = nextContact++;
      // A random part keeps contacts of separate preloads of one channel apart.
      const contactId = `preloaded-${contact}-${randomUUID().slice(0, 8)}`;
      for (let sent = 0; sent < MESSAGES_PER_CONTACT; sent++) {
        const messageId = newId();
        const data = {
          channelId,
          contactId,
          ...(sent === 0 ? { contactName: `Visitor ${contact}` } : {}),
          messageId,
          text: sent === 0 ? 'Hello, is anyone there?' : `Follow-up ${sent}: I still need help with my order`,
          receivedAt: new Date().toISOString(),
        };
        await handleEventSourcedCommand(
          store,
          conversationStreamName(channelId, contactId),
          conversationDecider,
          { type: 'ReceiveMessage', data },
          channelContext(channel, messageId),
          // The session engine may append to a conversation at the same moment: decide again, as the intake does.
          RETRY_ON_BUSY_STREAM,
        );
        recorded += 1;
        if (recorded % 500 === 0) progress.update(recorded);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_CONTACTS }, writeContacts));
  progress.finish(`${recorded.toLocaleString('en')} messages of ${contacts.toLocaleString('en')} contacts recorded`);
}
