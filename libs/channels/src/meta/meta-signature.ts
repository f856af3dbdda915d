import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_PREFIX = 'sha256=';
// Meta sends lowercase hex; uppercase is accepted too, since hex case carries no meaning.
const SIGNATURE_HEADER_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * The `X-Hub-Signature-256` value Meta sends with a webhook: `sha256=` and the lowercase hex
 * HMAC-SHA256 of the request body keyed with the app secret.
 *
 * `rawBody` must be the bytes as received: parsing and re-serialising the JSON changes them
 * (Meta escapes non-ASCII characters as `\uXXXX`), and the signature no longer matches.
 */
export function metaSignature(rawBody: Buffer | string, appSecret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Whether `header` (the `X-Hub-Signature-256` value) signs `rawBody` with `appSecret`.
 * Never throws: a missing, malformed or wrong signature is false. An empty app secret is
 * always false, because anyone can compute a signature keyed with it.
 */
export function hasValidMetaSignature(rawBody: Buffer | string, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || appSecret === '') return false;
  const match = SIGNATURE_HEADER_PATTERN.exec(header);
  if (!match) return false;
  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Both are 32 bytes here (the pattern fixes the length); timingSafeEqual throws otherwise.
  return received.length === expected.length && timingSafeEqual(received, expected);
}
