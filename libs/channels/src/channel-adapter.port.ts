/**
 * The port every channel type implements: its name, the one schema of its configuration, how a
 * delivery from the provider is verified and read, how a message goes out, and which delivery
 * failures are final. Each adapter lives in its own folder; the channel registry
 * (channel-registry.ts) lists them, and every place that depends on a channel's type asks it.
 *
 * The config schema is the pure part of an adapter (zod only, see #domain's channel-config.ts):
 * the domain validates a configuration with it without I/O. Everything that does I/O — signature
 * checks, HTTP clients — stays here, in libs/channels.
 */
import type { ChannelConfigSchema, ConfigValues } from '#domain';

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
 * How a delivery went; the adapter decides which failures are final. `retryable`: a 5xx, a
 * network error or a timeout — tried again later, with backoff, before any later message of the
 * session; `rejected`: a 4xx — final, never retried, recorded with the provider's error.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; providerMessageId: string }
  | { kind: 'retryable'; status?: number; error: string }
  | { kind: 'rejected'; status: number; error: string };

/** Where a message comes from in the service: what a client may pass on (the API channel does; Meta's need none of it). */
export interface SentMessage {
  /** The same on every attempt to deliver it: a receiver can take a retried message once. */
  messageId: string;
  sessionId: string;
  workflowId: string;
}

/** Never throws: every problem is an outcome. Errors never contain the access token. */
export interface PushChannelClient {
  send(message: OutboundMessage, sent: SentMessage): Promise<DeliveryOutcome>;
}

/** A channel as an adapter sees it: its id, its settings and its opened secrets, as its schema checked them. */
export interface ChannelAccess<Config extends ChannelConfigSchema = ChannelConfigSchema> {
  channelId: string;
  settings: ConfigValues<Config['settings']>;
  secrets: ConfigValues<Config['secrets']>;
}

/** An HTTP request to the channel's webhook (`/webhooks/:channelType/:channelId`), as received. */
export interface WebhookRequest {
  query: Record<string, unknown>;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes, as signed; undefined for a GET. */
  rawBody: Buffer | undefined;
}

/** A channel whose provider calls the service's webhook (Meta's WhatsApp and Messenger). */
export interface WebhookInbound<Config extends ChannelConfigSchema = ChannelConfigSchema> {
  readonly kind: 'webhook';
  /** The provider's subscription handshake (a GET): the text to answer with, or undefined to refuse it (403). */
  answerHandshake(request: WebhookRequest, channel: ChannelAccess<Config>): string | undefined;
  /** Whether a delivery (a POST) comes from the provider, e.g. by its signature; one that does not is refused (401). */
  isAuthentic(request: WebhookRequest, channel: ChannelAccess<Config>): boolean;
  /**
   * The customers' messages and choices, and the receipts, that a verified delivery holds for the
   * channel with these settings. Runs on the recorded payload, possibly again after a crash: pure,
   * and a part it does not know, or that is addressed to another of the provider's accounts, is left out.
   */
  itemsOf(payload: unknown, settings: ConfigValues<Config['settings']>): InboundItem[];
}

/** A channel whose customers reach the service's own endpoints (web chat, public); no webhook. */
export interface DirectInbound {
  readonly kind: 'direct';
}

/**
 * How choices are shown by count: the first form whose `maxChoices` fits is used; more choices
 * than every form holds go out as text with the choices as numbered lines. Labels are cut to
 * `maxLabelLength` (in code points).
 */
export interface InteractiveForm {
  form: 'reply_buttons' | 'list' | 'quick_replies';
  maxChoices: number;
  maxLabelLength: number;
}

/** The service pushes each message to the provider, through the session's durable outbox. */
export interface PushOutbound<Config extends ChannelConfigSchema = ChannelConfigSchema> {
  readonly kind: 'push';
  /** Longer texts are cut; with choices shown interactively the provider may allow less. */
  readonly maxTextLength: number;
  readonly interactiveForms: readonly InteractiveForm[];
  /**
   * The client that sends to this channel's provider, over `fetchImpl` (the deployment's
   * `channelFetch`, which keeps it to public addresses); its outcomes say which failures are final.
   */
  client(channel: ChannelAccess<Config>, fetchImpl: typeof fetch): PushChannelClient;
  /**
   * Whether a channel with these settings is pushed to (every one when absent). One that is not
   * collects its messages itself: an API channel without a callbackUrl pulls them.
   */
  pushes?(settings: ConfigValues<Config['settings']>): boolean;
}

/** Nothing is pushed: the customer's client reads the bot's messages from the session's transcript (web chat). */
export interface TranscriptOutbound {
  readonly kind: 'transcript';
}

/** One channel type. `Type` is the name in URLs and events; adding one is a folder and a line in the registry. */
export interface ChannelAdapter<Type extends string = string, Config extends ChannelConfigSchema = ChannelConfigSchema> {
  readonly type: Type;
  /** The one schema of `config` in `POST /channels`: settings shown as they are, secrets sealed. */
  readonly config: Config;
  readonly inbound: WebhookInbound<Config> | DirectInbound;
  readonly outbound: PushOutbound<Config> | TranscriptOutbound;
}

/** Meta's Graph API host and the version used unless a channel says otherwise. */
export const DEFAULT_GRAPH_API_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v21.0';
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
