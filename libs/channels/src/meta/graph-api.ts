import type { DeliveryOutcome, OutboundMessage, PushChannelClient } from '../channel-adapter.port.js';
import { describeError, postJson, redact, truncate } from '../http/json-post.js';
import { isRecord, nonEmptyString } from '../json-values.js';

/** Where and how long a Graph API client sends. */
export interface GraphApiSettings {
  /** Graph API host, e.g. `https://graph.facebook.com`; a trailing slash is ignored. */
  apiBaseUrl: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  timeoutMs: number;
}

/** One Graph API endpoint that sends messages, and what its answers look like. */
export interface GraphApiMessagesEndpoint {
  /** How errors name the API, e.g. `the Messenger Send API`. */
  apiName: string;
  url: string;
  accessToken: string;
  timeoutMs: number;
  messageBody(message: OutboundMessage): object;
  /** The sent message's id in a success answer (parsed JSON, or undefined); undefined when it has none. */
  sentMessageId(answer: unknown): string | undefined;
  /** How an error names that id when a success answer lacks it, e.g. `a message_id`. */
  sentMessageIdName: string;
}

const MAX_ERROR_MESSAGE_LENGTH = 300;

/** `{apiBaseUrl}/{apiVersion}/{segments…}`, the version and each segment URL-encoded. */
export function graphApiUrl({ apiBaseUrl, apiVersion }: GraphApiSettings, ...segments: string[]): string {
  const base = apiBaseUrl.trim().replace(/\/+$/, '');
  const version = apiVersion.trim().replace(/^\/+|\/+$/g, '');
  return [base, ...[version, ...segments].map(encodeURIComponent)].join('/');
}

/**
 * `<message> (code <code>)` from a Graph API error body `{error: {message, type, code, …}}`; the
 * status alone where the body has neither. Redacted before truncating, so a cut token cannot slip
 * through; the code is kept whole.
 */
const describeHttpError = (apiName: string, status: number, body: unknown, accessToken: string): string => {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = nonEmptyString(error.message);
  const code = typeof error.code === 'number' ? String(error.code) : nonEmptyString(error.code);
  const codeText = code === undefined ? undefined : `code ${redact(code, accessToken)}`;
  if (message === undefined) {
    const answered = `${apiName} answered HTTP ${status}`;
    return codeText === undefined ? answered : `${answered} (${codeText})`;
  }
  const messageText = truncate(redact(message, accessToken), MAX_ERROR_MESSAGE_LENGTH);
  return codeText === undefined ? messageText : `${messageText} (${codeText})`;
};

/**
 * Sends messages to a Graph API endpoint: a 2xx with the message's id is delivered, a 4xx rejected,
 * anything else (a 2xx without id, a 5xx, no answer) retryable.
 */
export class GraphApiMessageSender implements PushChannelClient {
  constructor(
    private readonly endpoint: GraphApiMessagesEndpoint,
    private readonly fetchImpl: typeof fetch,
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryOutcome> {
    const { apiName, accessToken } = this.endpoint;
    try {
      return await this.exchange(message);
    } catch (error) {
      // Only the endpoint's own body builder or id reader can get here; `send` must not throw all the same.
      return { kind: 'retryable', error: redact(`sending to ${apiName} failed: ${describeError(error)}`, accessToken) };
    }
  }

  private async exchange(message: OutboundMessage): Promise<DeliveryOutcome> {
    const { apiName, url, accessToken, timeoutMs } = this.endpoint;
    const answer = await postJson(
      {
        url,
        headers: { Authorization: `Bearer ${accessToken}` },
        body: this.endpoint.messageBody(message),
        timeoutMs,
        peerName: apiName,
        secret: accessToken,
      },
      this.fetchImpl,
    );
    if (answer.kind === 'unreachable') return { kind: 'retryable', error: answer.reason };

    const { status, body } = answer;
    if (status >= 200 && status <= 299) {
      const providerMessageId = this.endpoint.sentMessageId(body);
      if (providerMessageId !== undefined) return { kind: 'delivered', providerMessageId };
      // Without the id no receipt can be matched to the message; whether it went out is unknown.
      return { kind: 'retryable', status, error: `${apiName} answered HTTP ${status} without ${this.endpoint.sentMessageIdName}` };
    }
    const error = describeHttpError(apiName, status, body, accessToken);
    return status >= 400 && status <= 499 ? { kind: 'rejected', status, error } : { kind: 'retryable', status, error };
  }
}
