import type { InboundItem } from '../channel-adapter.port.js';
import { contactIdOf } from '../contact-id.js';
import { type JsonRecord, isRecord, nonEmptyString } from '../json-values.js';

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Meta's times are epoch milliseconds; anything else leaves the time out. */
const isoTime = (value: unknown): string | undefined => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const messageItems = (senderId: string, message: JsonRecord): InboundItem[] => {
  // An echo is the page's own outgoing message reported back; it is not the customer speaking.
  if (message.is_echo === true) return [];
  const messageId = nonEmptyString(message.mid);
  if (!messageId) return [];
  // A tapped quick reply also carries its title as `text`; the payload is the answer.
  const quickReplyPayload = isRecord(message.quick_reply) ? nonEmptyString(message.quick_reply.payload) : undefined;
  // Attachments alone (images, stickers, locations) have no text to act on and are skipped.
  const text = quickReplyPayload ?? nonEmptyString(message.text);
  if (text === undefined) return [];
  return [{ kind: 'message', contactId: senderId, messageId, text }];
};

const postbackItems = (senderId: string, timestamp: unknown, postback: JsonRecord): InboundItem[] => {
  const payload = nonEmptyString(postback.payload);
  if (payload === undefined) return [];
  // Some postbacks (e.g. Get Started) may come without `mid`. A redelivery keeps the sender and
  // the event timestamp, so the id derived from them stays the same and deduplication still works.
  const derivedId = typeof timestamp === 'number' && Number.isFinite(timestamp) ? `postback:${senderId}:${timestamp}` : undefined;
  const messageId = nonEmptyString(postback.mid) ?? derivedId;
  if (messageId === undefined) return [];
  return [{ kind: 'message', contactId: senderId, messageId, text: payload }];
};

const deliveryItems = (senderId: string, delivery: JsonRecord): InboundItem[] => {
  const at = isoTime(delivery.watermark);
  // Meta may leave `mids` out; the watermark alone names no message, so nothing is reported.
  return arrayOf(delivery.mids).flatMap((mid): InboundItem[] => {
    const providerMessageId = nonEmptyString(mid);
    if (!providerMessageId) return [];
    return [{ kind: 'receipt', providerMessageId, status: 'delivered', contactId: senderId, ...(at ? { at } : {}) }];
  });
};

const eventItems = (event: unknown): InboundItem[] => {
  if (!isRecord(event) || !isRecord(event.sender)) return [];
  // A sender id outside the contact alphabet is no conversation here; the payload stays recorded.
  const senderId = contactIdOf(event.sender.id);
  if (!senderId) return [];
  if (isRecord(event.message)) return messageItems(senderId, event.message);
  if (isRecord(event.postback)) return postbackItems(senderId, event.timestamp, event.postback);
  if (isRecord(event.delivery)) return deliveryItems(senderId, event.delivery);
  // `read` carries only a watermark ("everything sent before this time was read") and no message
  // ids, so it cannot become per-message receipts here; it is skipped, as are other event kinds.
  return [];
};

/**
 * Meta sends the deliveries of every page of an app to the app's one callback URL: an entry that
 * names another page (its `id`) belongs to that page's channel, not to this one.
 */
const isForAnotherPage = (entry: JsonRecord, pageId: string): boolean => {
  const named = nonEmptyString(entry.id);
  return named !== undefined && named !== pageId;
};

/**
 * Turns a Messenger Platform webhook payload (`object: "page"`) into the inbound items of the
 * channel's page, in the order of the entries and their `messaging` events. Never throws: pieces
 * that are malformed or of kinds not handled are skipped, and a payload for another `object` gives [].
 */
export function parseMessengerWebhook(payload: unknown, { pageId }: { pageId: string }): InboundItem[] {
  if (!isRecord(payload) || payload.object !== 'page') return [];
  return arrayOf(payload.entry).flatMap((entry) =>
    isRecord(entry) && !isForAnotherPage(entry, pageId) ? arrayOf(entry.messaging).flatMap(eventItems) : [],
  );
}
