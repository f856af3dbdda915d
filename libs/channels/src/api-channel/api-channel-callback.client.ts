import type { DeliveryOutcome, OutboundChoice } from '../channel-adapter.port.js';
import { describeError, postJson, redact } from '../http/json-post.js';
import { apiChannelSignatureHeaders } from './api-channel-signature.js';

/** What an API channel's callback receives for each message the bot sends, as JSON. */
export interface ApiChannelCallback {
  /** The message's id: the same on every attempt, so a receiver takes a retried callback once. */
  messageId: string;
  /** The customer, as the adapter named them inbound. */
  contactId: string;
  text: string;
  /** The options of a question with choices (an answer sends one `value` as `choice`); empty otherwise. */
  choices: OutboundChoice[];
  sessionId: string;
  workflowId: string;
}

export interface ApiChannelCallbackSettings {
  callbackUrl: string;
  secret: string;
  timeoutMs: number;
}

const PEER_NAME = 'the callback';

/**
 * POSTs a message to an API channel's callback URL, signed with the channel's secret. A 2xx is
 * delivered, a 4xx refused for good, anything else (3xx, 5xx, no answer in time) tried again.
 * Never throws; no outcome holds the secret.
 */
export class ApiChannelCallbackClient {
  constructor(
    private readonly settings: ApiChannelCallbackSettings,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(callback: ApiChannelCallback): Promise<DeliveryOutcome> {
    const { callbackUrl, secret, timeoutMs } = this.settings;
    try {
      // postJson sends JSON.stringify of the same object: the bytes signed are the bytes sent.
      const rawBody = JSON.stringify(callback);
      const answer = await postJson(
        {
          url: callbackUrl,
          headers: apiChannelSignatureHeaders(rawBody, secret, this.now()),
          body: callback,
          timeoutMs,
          peerName: PEER_NAME,
          secret,
        },
        this.fetchImpl,
      );
      if (answer.kind === 'unreachable') return { kind: 'retryable', error: answer.reason };
      const { status } = answer;
      // The receiver has no id of its own to give: receipts name the message by its messageId.
      if (status >= 200 && status <= 299) return { kind: 'delivered', providerMessageId: callback.messageId };
      const error = `${PEER_NAME} answered HTTP ${status}`;
      return status >= 400 && status <= 499 ? { kind: 'rejected', status, error } : { kind: 'retryable', status, error };
    } catch (error) {
      return { kind: 'retryable', error: redact(`calling ${PEER_NAME} failed: ${describeError(error)}`, secret) };
    }
  }
}
