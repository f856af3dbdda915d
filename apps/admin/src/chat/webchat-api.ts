import { createApiClient } from '../api/api-client.js';

export interface ChatChoice {
  label: string;
  value: string;
}

export interface ChatMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  choices?: ChatChoice[];
}

export interface TranscriptPage {
  /** Oldest first. */
  items: ChatMessage[];
  /** Cursor: the messages after this page. */
  next: string;
  /** Cursor: the messages before this page; null at the start of the conversation. */
  previous: string | null;
}

export type TranscriptQuery = { newest: true } | { after: string } | { before: string } | { waitFor: string };

/** How long one long poll waits for a reply: below the server's limit and proxies' idle cuts. */
export const REPLY_WAIT_SECONDS = 25;

/** The public web chat endpoints: no sign-in; the channel and the contact id address the conversation. */
export const webchatApi = (channelId: string, contactId: string) => {
  // No token, so nothing to sign out of on a 401.
  const api = createApiClient(null, () => undefined);
  const channel = `/webchat/${encodeURIComponent(channelId)}`;
  return {
    /** A page of the transcript; `waitFor` answers once a reply to that message is there (or the wait is up). */
    transcript(query: TranscriptQuery, signal?: AbortSignal): Promise<TranscriptPage> {
      const params = new URLSearchParams();
      if ('after' in query) params.set('after', query.after);
      if ('before' in query) params.set('before', query.before);
      if ('waitFor' in query) {
        params.set('waitFor', query.waitFor);
        params.set('waitSeconds', String(REPLY_WAIT_SECONDS));
      }
      return api.get(`${channel}/contacts/${encodeURIComponent(contactId)}/messages?${params}`, { signal });
    },
    async send(text: string): Promise<string> {
      const sent = await api.send<{ messageId: string }>('POST', `${channel}/messages`, { contactId, text });
      return sent.messageId;
    },
  };
};

export type WebchatApi = ReturnType<typeof webchatApi>;
