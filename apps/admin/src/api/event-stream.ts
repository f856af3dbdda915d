import { ApiError, retryAfterMsAsked } from './api-client.js';

export interface StreamMessage {
  event: string;
  data: string;
}

/**
 * Splits `text/event-stream` bytes into messages as they arrive. Comments (`: keep-alive`) and
 * fields other than `event` and `data` are skipped; a blank line ends a message.
 */
export async function* eventStreamMessages(body: ReadableStream<BufferSource>): AsyncGenerator<StreamMessage> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let event = 'message';
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let newline: number;
    while ((newline = buffered.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + (buffered.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n') };
        event = 'message';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = fieldValue;
      else if (field === 'data') data.push(fieldValue);
    }
  }
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

const MAX_BACKOFF_MS = 15_000;

/** Opens the stream once: the API client's request for it, which rejects with an ApiError when refused. */
export type OpenStream = (signal: AbortSignal) => Promise<ReadableStream<BufferSource> | null>;

/** Answers that another try would get again: the token, the role or the resource is wrong. */
const FINAL_REFUSALS = new Set([401, 403, 404]);

/**
 * Follows an SSE endpoint with the bearer header (EventSource cannot send one), reconnecting with
 * exponential backoff while the server is away, and never sooner than a refusal's Retry-After.
 * `onOpen` runs at each (re)connection, before its first message, so a caller can drop what the
 * new connection will send again.
 */
export const followEventStream = (
  open: OpenStream,
  handlers: {
    onOpen?: () => void;
    onMessage: (message: StreamMessage) => void;
    onStatus: (status: StreamStatus) => void;
    onRefused: (status: number, message: string) => void;
  },
): (() => void) => {
  const abort = new AbortController();
  const run = async () => {
    let failures = 0;
    handlers.onStatus('connecting');
    while (!abort.signal.aborted) {
      let asked = 0;
      try {
        const body = await open(abort.signal);
        if (body === null) throw new Error('an answer without a body');
        failures = 0;
        handlers.onOpen?.();
        handlers.onStatus('live');
        for await (const message of eventStreamMessages(body)) handlers.onMessage(message);
      } catch (error) {
        if (abort.signal.aborted) return;
        if (error instanceof ApiError && FINAL_REFUSALS.has(error.status)) {
          handlers.onRefused(error.status, error.message);
          return;
        }
        asked = retryAfterMsAsked(error);
      }
      failures += 1;
      handlers.onStatus('reconnecting');
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures - 1, 5)) * (0.75 + Math.random() * 0.5);
      const delay = Math.max(backoff, asked);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  void run();
  return () => abort.abort();
};
