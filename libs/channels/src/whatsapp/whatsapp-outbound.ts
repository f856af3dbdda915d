import type {
  DeliveryOutcome,
  OutboundChoice,
  OutboundMessage,
  PushChannelClient,
} from '../channel-adapter.port.js';

export interface WhatsAppSendConfig {
  /** The business phone number's id (not the number itself): the path of the messages endpoint. */
  phoneNumberId: string;
  accessToken: string;
  /** e.g. `https://graph.facebook.com`; a trailing slash is ignored. */
  apiBaseUrl: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  timeoutMs: number;
}

// The Cloud API's limits: longer texts are refused with a 4xx, so they are cut before sending.
const TEXT_BODY_MAX_LENGTH = 4096;
const INTERACTIVE_BODY_MAX_LENGTH = 1024;
const REPLY_BUTTON_TITLE_MAX_LENGTH = 20;
const LIST_ROW_TITLE_MAX_LENGTH = 24;
const MAX_REPLY_BUTTONS = 3;
const MAX_LIST_ROWS = 10;

const LIST_BUTTON_LABEL = 'Choose';
const LIST_SECTION_TITLE = 'Options';
const MAX_ERROR_MESSAGE_LENGTH = 300;
const PROVIDER_NAME = 'the WhatsApp Cloud API';

/** Cuts by code points, so an emoji is never split into half a surrogate pair. */
const cut = (text: string, max: number): string => {
  const codePoints = Array.from(text);
  return codePoints.length > max ? codePoints.slice(0, max).join('') : text;
};

const numberedOptions = (choices: OutboundChoice[]): string =>
  choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');

/**
 * The Cloud API request body for a message: plain text; 1–3 choices as reply buttons; 4–10 as a
 * list; more than the list can hold as text with the options written out as numbered lines.
 * A button's or row's id is the choice's value, which the customer's reply then carries back.
 */
export function whatsAppMessageBody(message: OutboundMessage): object {
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to };
  const choices = message.choices ?? [];

  if (choices.length === 0 || choices.length > MAX_LIST_ROWS) {
    const body = choices.length === 0 ? message.text : `${message.text}\n\n${numberedOptions(choices)}`;
    return { ...envelope, type: 'text', text: { body: cut(body, TEXT_BODY_MAX_LENGTH) } };
  }

  const body = { text: cut(message.text, INTERACTIVE_BODY_MAX_LENGTH) };
  if (choices.length <= MAX_REPLY_BUTTONS) {
    const buttons = choices.map((choice) => ({
      type: 'reply',
      reply: { id: choice.value, title: cut(choice.label, REPLY_BUTTON_TITLE_MAX_LENGTH) },
    }));
    return { ...envelope, type: 'interactive', interactive: { type: 'button', body, action: { buttons } } };
  }

  const rows = choices.map((choice) => ({ id: choice.value, title: cut(choice.label, LIST_ROW_TITLE_MAX_LENGTH) }));
  return {
    ...envelope,
    type: 'interactive',
    interactive: {
      type: 'list',
      body,
      action: { button: LIST_BUTTON_LABEL, sections: [{ title: LIST_SECTION_TITLE, rows }] },
    },
  };
}

type JsonRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm.
const messageOf = (error: unknown): string | undefined =>
  isRecord(error) && typeof error.message === 'string' ? error.message : undefined;

/** undici reports a refused connection as "fetch failed"; the cause says why. */
const describeError = (error: unknown): string => {
  const message = messageOf(error);
  if (message === undefined) return String(error);
  const cause = isRecord(error) ? messageOf(error.cause) : undefined;
  return cause && cause !== message ? `${message} (${cause})` : message;
};

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

/** Graph API errors: `{error: {message, type, code, error_subcode, fbtrace_id}}`. */
const graphError = (body: string): { message?: string; code?: number | string } | undefined => {
  const payload = parseJson(body);
  if (!isRecord(payload) || !isRecord(payload.error)) return undefined;
  const { message, code } = payload.error;
  const graph: { message?: string; code?: number | string } = {};
  if (typeof message === 'string' && message !== '') graph.message = message;
  if (typeof code === 'number' || (typeof code === 'string' && code !== '')) graph.code = code;
  return graph.message === undefined && graph.code === undefined ? undefined : graph;
};

const sentMessageId = (body: string): string | undefined => {
  const payload = parseJson(body);
  if (!isRecord(payload) || !Array.isArray(payload.messages)) return undefined;
  const [first] = payload.messages as unknown[];
  return isRecord(first) && typeof first.id === 'string' && first.id !== '' ? first.id : undefined;
};

/** Sends messages through the WhatsApp Cloud API's `/{phone-number-id}/messages` endpoint. */
export class WhatsAppClient implements PushChannelClient {
  private readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: WhatsAppSendConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    const base = config.apiBaseUrl.trim().replace(/\/+$/, '');
    this.endpoint = `${base}/${encodeURIComponent(config.apiVersion)}/${encodeURIComponent(config.phoneNumberId)}/messages`;
    this.fetchImpl = fetchImpl;
  }

  async send(message: OutboundMessage): Promise<DeliveryOutcome> {
    try {
      return await this.exchange(message);
    } catch (error) {
      return this.retryable(`sending to ${PROVIDER_NAME} failed: ${describeError(error)}`);
    }
  }

  private async exchange(message: OutboundMessage): Promise<DeliveryOutcome> {
    const { timeoutMs } = this.config;
    const abort = new AbortController();
    // One deadline covers connecting, waiting for headers and reading the body.
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let status: number;
    let body: string;
    try {
      const fetchImpl = this.fetchImpl;
      const response = await fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.config.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(whatsAppMessageBody(message)),
        signal: abort.signal,
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      if (abort.signal.aborted) return this.retryable(`${PROVIDER_NAME} did not answer within ${timeoutMs} ms`);
      return this.retryable(`${PROVIDER_NAME} could not be reached: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }

    if (status >= 200 && status <= 299) {
      const providerMessageId = sentMessageId(body);
      if (providerMessageId !== undefined) return { kind: 'delivered', providerMessageId };
      // Without an id no receipt can be matched to the message; whether it went out is unknown.
      return this.retryable(`${PROVIDER_NAME} answered HTTP ${status} without a message id (messages[0].id)`, status);
    }

    const error = this.describeHttpError(status, body);
    if (status >= 400 && status <= 499) return { kind: 'rejected', status, error: this.redact(error) };
    return this.retryable(error, status);
  }

  /** `<message> (code <code>)` from a Graph API error body, else just the status. */
  private describeHttpError(status: number, body: string): string {
    const graph = graphError(body);
    if (graph === undefined) return `${PROVIDER_NAME} answered HTTP ${status}`;
    // Redact before truncating so a token cut in half cannot slip through; the code is kept whole.
    const message = graph.message !== undefined ? truncate(this.redact(graph.message), MAX_ERROR_MESSAGE_LENGTH) : undefined;
    const code = graph.code !== undefined ? `code ${this.redact(String(graph.code))}` : undefined;
    if (message === undefined) return `${PROVIDER_NAME} answered HTTP ${status} (${code})`;
    return code === undefined ? message : `${message} (${code})`;
  }

  /** Servers and network errors may echo the token back; it must never reach an outcome. */
  private redact(text: string): string {
    const { accessToken } = this.config;
    return accessToken ? text.split(accessToken).join('***') : text;
  }

  private retryable(error: string, status?: number): DeliveryOutcome {
    return { kind: 'retryable', ...(status !== undefined ? { status } : {}), error: this.redact(error) };
  }
}
