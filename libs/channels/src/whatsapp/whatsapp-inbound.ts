import type { InboundItem } from '../channel-adapter.port.js';
import { contactIdOf } from '../contact-id.js';
import { type JsonRecord, isRecord, nonEmptyString } from '../json-values.js';

/** The `object` of every WhatsApp Cloud API webhook payload. */
const WHATSAPP_WEBHOOK_OBJECT = 'whatsapp_business_account';
/** The change field that carries customers' messages and the statuses of messages sent. */
const MESSAGES_FIELD = 'messages';

const recordsOf = (value: unknown): JsonRecord[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Meta sends unix seconds as a string ("1603059201"); a number is accepted as well. */
const isoFromUnixSeconds = (value: unknown): string | undefined => {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/**
 * The text a message answers with: what was typed, or the id of the reply button / list row
 * chosen (the option value sent with it), or a template quick reply's payload.
 * Undefined for media, locations, reactions and the like: nothing the workflow can answer.
 */
const textOfMessage = (message: JsonRecord): string | undefined => {
  switch (message.type) {
    case 'text':
      return isRecord(message.text) ? nonEmptyString(message.text.body) : undefined;
    case 'interactive': {
      const { interactive } = message;
      if (!isRecord(interactive)) return undefined;
      if (interactive.type === 'button_reply' && isRecord(interactive.button_reply)) {
        return nonEmptyString(interactive.button_reply.id);
      }
      if (interactive.type === 'list_reply' && isRecord(interactive.list_reply)) {
        return nonEmptyString(interactive.list_reply.id);
      }
      return undefined;
    }
    case 'button':
      return isRecord(message.button) ? (nonEmptyString(message.button.payload) ?? nonEmptyString(message.button.text)) : undefined;
    default:
      return undefined;
  }
};

/**
 * The profile name of the sender. Matched on `wa_id`; failing that, a lone contact is taken,
 * because `wa_id` and `from` are not always written the same way for some countries' numbers.
 */
const contactNameOf = (contacts: JsonRecord[], from: string): string | undefined => {
  const contact = contacts.find((candidate) => candidate.wa_id === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  return contact && isRecord(contact.profile) ? nonEmptyString(contact.profile.name) : undefined;
};

const messageItem = (message: JsonRecord, contacts: JsonRecord[]): InboundItem | undefined => {
  // A sender id outside the contact alphabet is no conversation here; the payload stays recorded.
  const contactId = contactIdOf(message.from);
  const messageId = nonEmptyString(message.id);
  const text = textOfMessage(message);
  if (contactId === undefined || messageId === undefined || text === undefined) return undefined;
  const contactName = contactNameOf(contacts, contactId);
  return { kind: 'message', contactId, ...(contactName !== undefined ? { contactName } : {}), messageId, text };
};

const receiptItem = (status: JsonRecord): InboundItem | undefined => {
  const providerMessageId = nonEmptyString(status.id);
  const statusName = nonEmptyString(status.status);
  if (providerMessageId === undefined || statusName === undefined) return undefined;
  const contactId = nonEmptyString(status.recipient_id);
  const at = isoFromUnixSeconds(status.timestamp);
  return {
    kind: 'receipt',
    providerMessageId,
    status: statusName,
    ...(contactId !== undefined ? { contactId } : {}),
    ...(at !== undefined ? { at } : {}),
  };
};

const isPresent = (item: InboundItem | undefined): item is InboundItem => item !== undefined;

/**
 * Meta sends the deliveries of every number of a business account to the app's one callback URL:
 * a change that names another number belongs to that number's channel, not to this one.
 */
const isForAnotherNumber = (value: JsonRecord, phoneNumberId: string): boolean => {
  const named = isRecord(value.metadata) ? nonEmptyString(value.metadata.phone_number_id) : undefined;
  return named !== undefined && named !== phoneNumberId;
};

/**
 * Reads a WhatsApp Cloud API webhook payload into the messages and receipts it carries for the
 * channel's phone number, in the payload's order (within one change: its messages, then its
 * statuses). Never throws: a malformed piece is skipped, and a payload of another `object` gives [].
 */
export function parseWhatsAppWebhook(payload: unknown, { phoneNumberId }: { phoneNumberId: string }): InboundItem[] {
  if (!isRecord(payload) || payload.object !== WHATSAPP_WEBHOOK_OBJECT) return [];
  return recordsOf(payload.entry).flatMap((entry) =>
    recordsOf(entry.changes).flatMap((change) => {
      if (change.field !== MESSAGES_FIELD || !isRecord(change.value)) return [];
      const { value } = change;
      if (isForAnotherNumber(value, phoneNumberId)) return [];
      const contacts = recordsOf(value.contacts);
      return [
        ...recordsOf(value.messages).map((message) => messageItem(message, contacts)),
        ...recordsOf(value.statuses).map(receiptItem),
      ].filter(isPresent);
    }),
  );
}
