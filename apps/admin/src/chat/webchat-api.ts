import { createApiClient, dataOf, type Schemas } from '../api/api-client.js';

/** A page of a conversation's transcript, oldest first; `previous` is null at its start. */
export type TranscriptPage = Schemas['WebchatTranscriptPageDto'];

export type ChatMessage = Schemas['TranscriptMessageDto'];

export type TranscriptQuery = { newest: true } | { after: string } | { before: string } | { waitFor: string };

/** How long one long poll waits for a reply: below the server's limit and proxies' idle cuts. */
export const REPLY_WAIT_SECONDS = 25;

/** The public web chat endpoints: no sign-in; the channel and the contact id address the conversation. */
export const webchatApi = (channelId: string, contactId: string) => {
  // No token, so nothing to sign out of on a 401.
  const api = createApiClient(null, () => undefined);
  return {
    /** A page of the transcript; `waitFor` answers once a reply to that message is there (or the wait is up). */
    async transcript(query: TranscriptQuery, signal?: AbortSignal): Promise<TranscriptPage> {
      const answer = await api.GET('/webchat/{channelId}/contacts/{contactId}/messages', {
        params: {
          path: { channelId, contactId },
          query: {
            after: 'after' in query ? query.after : undefined,
            before: 'before' in query ? query.before : undefined,
            ...('waitFor' in query ? { waitFor: query.waitFor, waitSeconds: REPLY_WAIT_SECONDS } : {}),
          },
        },
        signal,
      });
      return dataOf(answer);
    },
    async send(text: string): Promise<string> {
      const answer = await api.POST('/webchat/{channelId}/messages', { params: { path: { channelId } }, body: { contactId, text } });
      return dataOf(answer).messageId;
    },
  };
};

export type WebchatApi = ReturnType<typeof webchatApi>;
