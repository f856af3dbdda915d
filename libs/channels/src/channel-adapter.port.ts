/**
 * What a push channel (WhatsApp, Messenger) adapter does for the service: turns the provider's
 * webhook payloads into inbound items, and delivers outbound messages to the provider's API.
 */

/** One thing a webhook payload told: a customer's message, or a receipt for a message sent. */
export type InboundItem =
  | {
      kind: 'message';
      /** The customer, as the provider identifies them (WhatsApp `wa_id`/`from`, Messenger PSID). */
      contactId: string;
      contactName?: string;
      /** The provider's id of the message (`wamid…`, `m_…`): a redelivery carries the same one. */
      messageId: string;
      /** The text, or for a chosen button / list row / quick reply / postback, its id or payload. */
      text: string;
    }
  | {
      kind: 'receipt';
      /** The provider's id of the message this receipt is about. */
      providerMessageId: string;
      /** `sent`, `delivered`, `read`, `failed`, … as the provider says. */
      status: string;
      contactId?: string;
      /** ISO 8601, when the provider gives a time. */
      at?: string;
    };

/** A choice offered with a message: `value` is what choosing it answers. */
export interface OutboundChoice {
  label: string;
  value: string;
}

export interface OutboundMessage {
  /** The customer: the inbound `contactId`. */
  to: string;
  text: string;
  choices?: OutboundChoice[];
}

/**
 * How a delivery went. `retryable`: a 5xx, a network error or a timeout — try again later;
 * `rejected`: a 4xx — never retried, recorded with the provider's error.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; providerMessageId: string }
  | { kind: 'retryable'; status?: number; error: string }
  | { kind: 'rejected'; status: number; error: string };

/** Never throws: every problem is an outcome. Errors never contain the access token. */
export interface PushChannelClient {
  send(message: OutboundMessage): Promise<DeliveryOutcome>;
}

/** Meta's Graph API host and the version used unless a channel says otherwise. */
export const DEFAULT_GRAPH_API_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v21.0';
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
