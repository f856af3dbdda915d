import { metaSignature } from '../meta/meta-signature.js';

/** A callback's headers: when it was signed, and the signature of that moment and the body. */
export const API_CHANNEL_TIMESTAMP_HEADER = 'X-Timestamp';
export const API_CHANNEL_SIGNATURE_HEADER = 'X-Signature-256';

/**
 * `sha256=` and the lowercase hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the channel's
 * secret. The timestamp is inside what is signed, so a receiver that refuses old timestamps also
 * refuses a recorded callback played again later. Same construction as Meta's `X-Hub-Signature-256`,
 * over more than the body.
 */
export const apiChannelSignature = (timestamp: number, rawBody: string, secret: string): string =>
  metaSignature(`${timestamp}.${rawBody}`, secret);

/** The two headers that authenticate a callback whose body is `rawBody`, signed at `now`. */
export function apiChannelSignatureHeaders(rawBody: string, secret: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [API_CHANNEL_TIMESTAMP_HEADER]: String(timestamp),
    [API_CHANNEL_SIGNATURE_HEADER]: apiChannelSignature(timestamp, rawBody, secret),
  };
}
