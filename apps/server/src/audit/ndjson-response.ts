import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';
export const NDJSON_CONTENT_TYPE = `${NDJSON_MEDIA_TYPE}; charset=utf-8`;

/** Resolves when the socket can take more, or when the client has gone (nothing will drain then). */
const writable = async (response: ServerResponse): Promise<void> => {
  const closed = new AbortController();
  try {
    await Promise.race([once(response, 'drain', { signal: closed.signal }), once(response, 'close', { signal: closed.signal })]);
  } finally {
    // Removes the listener of whichever event did not come.
    closed.abort();
  }
};

/**
 * Writes each batch as lines of JSON, waiting for the socket whenever its buffer is full, so a slow
 * reader holds back the reading instead of filling memory. Stops early when the client goes away;
 * the caller has already sent the headers and ends or destroys the response.
 */
export const writeNdjsonLines = async (response: ServerResponse, batches: AsyncIterable<readonly unknown[]>): Promise<void> => {
  for await (const batch of batches) {
    if (response.destroyed) return;
    if (batch.length === 0) continue;
    const chunk = batch.map((item) => `${JSON.stringify(item)}\n`).join('');
    // A destroyed response may already have emitted 'close': waiting for it would never end.
    if (!response.write(chunk) && !response.destroyed) await writable(response);
  }
};
