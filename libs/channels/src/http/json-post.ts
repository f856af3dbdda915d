import { isRecord } from '../json-values.js';

/** One JSON POST to a provider. */
export interface JsonPost {
  url: string;
  /** Besides `Content-Type: application/json`, which is always sent. */
  headers: Record<string, string>;
  body: unknown;
  /** One deadline for connecting, waiting for the headers and reading the body. */
  timeoutMs: number;
  /** How reasons name the other side, e.g. `the AI agent`. */
  peerName: string;
  /** The credential sent along: a network error may echo it, so it is redacted from reasons. */
  secret?: string;
}

/**
 * `answered`: the whole body arrived; `body` is its parsed JSON, undefined when it is not JSON.
 * `unreachable`: no answer in time, or none at all; `reason` says why, with the secret redacted.
 */
export type JsonPostOutcome = { kind: 'answered'; status: number; body: unknown } | { kind: 'unreachable'; reason: string };

/** Replaces every occurrence of `secret` in `text`; an empty or missing secret leaves it as it is. */
export const redact = (text: string, secret: string | undefined): string => (secret ? text.split(secret).join('***') : text);

/** Cuts `text` to `max` characters and marks the cut; redact first, so a cut secret cannot slip through. */
export const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

// Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm.
const messageOf = (error: unknown): string | undefined =>
  isRecord(error) && typeof error.message === 'string' ? error.message : undefined;

/** undici reports a refused connection as "fetch failed"; the cause says why. */
export const describeError = (error: unknown): string => {
  const message = messageOf(error);
  if (message === undefined) return String(error);
  const cause = isRecord(error) ? messageOf(error.cause) : undefined;
  return cause && cause !== message ? `${message} (${cause})` : message;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Never throws: a request that cannot be made, sent or answered in time is `unreachable`. */
export async function postJson(request: JsonPost, fetchImpl: typeof fetch): Promise<JsonPostOutcome> {
  const { url, headers, body, timeoutMs, peerName, secret } = request;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    const text = await response.text();
    return { kind: 'answered', status: response.status, body: parseJson(text) };
  } catch (error) {
    const reason = abort.signal.aborted
      ? `${peerName} did not answer within ${timeoutMs} ms`
      : `${peerName} could not be reached: ${describeError(error)}`;
    return { kind: 'unreachable', reason: redact(reason, secret) };
  } finally {
    clearTimeout(timer);
  }
}
