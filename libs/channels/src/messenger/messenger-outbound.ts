import type { DeliveryOutcome, OutboundMessage, PushChannelClient } from '../channel-adapter.port.js';

export interface MessengerSendConfig {
  pageAccessToken: string;
  /** Graph API host, e.g. `https://graph.facebook.com`. */
  apiBaseUrl: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  timeoutMs: number;
}

// Limits of the Messenger Send API.
const MAX_TEXT_LENGTH = 2000;
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE_LENGTH = 20;
const MAX_ERROR_LENGTH = 300;
const SEND_API_NAME = 'the Messenger Send API';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Cuts by code points so an emoji at the limit is not split into a lone surrogate. */
const cutToLength = (text: string, max: number): string => {
  const codePoints = Array.from(text);
  return codePoints.length > max ? codePoints.slice(0, max).join('') : text;
};

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

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

/** `<message> (code <code>)` from a Graph API error body `{error: {message, type, code, …}}`. */
const graphErrorMessage = (body: string): string | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error) || typeof parsed.error.message !== 'string') return undefined;
  const { message, code } = parsed.error;
  return typeof code === 'number' || typeof code === 'string' ? `${message} (code ${code})` : message;
};

const sentMessageId = (body: string): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && typeof parsed.message_id === 'string' && parsed.message_id !== ''
      ? parsed.message_id
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The Send API body for a reply. Up to 13 choices become quick replies; more than Messenger can
 * show are listed as numbered lines in the text instead, so none is silently dropped.
 */
export function messengerMessageBody(message: OutboundMessage): object {
  const choices = message.choices ?? [];
  const asQuickReplies = choices.length > 0 && choices.length <= MAX_QUICK_REPLIES;
  const text =
    choices.length > MAX_QUICK_REPLIES
      ? `${message.text}\n\n${choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n')}`
      : message.text;
  return {
    recipient: { id: message.to },
    // RESPONSE: a reply to the customer's message, sent within Messenger's standard messaging window.
    messaging_type: 'RESPONSE',
    message: {
      text: cutToLength(text, MAX_TEXT_LENGTH),
      ...(asQuickReplies
        ? {
            quick_replies: choices.map((choice) => ({
              content_type: 'text',
              title: cutToLength(choice.label, MAX_QUICK_REPLY_TITLE_LENGTH),
              payload: choice.value,
            })),
          }
        : {}),
    },
  };
}

/** Sends through the Messenger Send API (`POST /{version}/me/messages` with a page access token). */
export class MessengerClient implements PushChannelClient {
  private readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: MessengerSendConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    const base = config.apiBaseUrl.trim().replace(/\/+$/, '');
    const version = config.apiVersion.trim().replace(/^\/+|\/+$/g, '');
    this.endpoint = `${base}/${version}/me/messages`;
    this.fetchImpl = fetchImpl;
  }

  async send(message: OutboundMessage): Promise<DeliveryOutcome> {
    try {
      return await this.exchange(message);
    } catch (error) {
      return this.retryable(`${SEND_API_NAME} client failed: ${describeError(error)}`);
    }
  }

  private async exchange(message: OutboundMessage): Promise<DeliveryOutcome> {
    const { timeoutMs, pageAccessToken } = this.config;
    const abort = new AbortController();
    // One deadline covers connecting, waiting for headers and reading the body.
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let status: number;
    let body: string;
    try {
      const fetchImpl = this.fetchImpl;
      const response = await fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${pageAccessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(messengerMessageBody(message)),
        signal: abort.signal,
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      if (abort.signal.aborted) return this.retryable(`${SEND_API_NAME} did not answer within ${timeoutMs} ms`);
      return this.retryable(`${SEND_API_NAME} could not be reached: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }

    if (status >= 200 && status <= 299) {
      const providerMessageId = sentMessageId(body);
      // Without the id no receipt can be matched to the message; sending again is the safer way.
      if (!providerMessageId) return this.retryable(`${SEND_API_NAME} answered HTTP ${status} without a message_id`, status);
      return { kind: 'delivered', providerMessageId };
    }
    const detail = graphErrorMessage(body) ?? `${SEND_API_NAME} answered HTTP ${status}`;
    if (status >= 400 && status <= 499) {
      return { kind: 'rejected', status, error: this.cleanError(detail) };
    }
    return this.retryable(detail, status);
  }

  private retryable(error: string, status?: number): DeliveryOutcome {
    return { kind: 'retryable', ...(status === undefined ? {} : { status }), error: this.cleanError(error) };
  }

  /** Errors may echo the token back; it is redacted before truncating, so a cut token cannot slip through. */
  private cleanError(text: string): string {
    const { pageAccessToken } = this.config;
    const redacted = pageAccessToken ? text.split(pageAccessToken).join('***') : text;
    return truncate(redacted, MAX_ERROR_LENGTH);
  }
}
