import { describe, expect, it } from '@jest/globals';
import { hasValidMetaSignature, metaSignature } from './meta-signature.js';

const APP_SECRET = 'app-secret-3b1f09c7d2e4';
const rawBody = Buffer.from(
  '{"object":"page","entry":[{"id":"106209264729571","time":1700000000000,"messaging":[{"sender":{"id":"1254459154682919"},' +
    '"recipient":{"id":"106209264729571"},"timestamp":1700000000000,"message":{"mid":"m_1","text":"Caf\\u00e9?"}}]}]}',
  'utf8',
);

describe('metaSignature', () => {
  it('is sha256= and the lowercase hex HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
    expect(metaSignature('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('gives the same signature for the body as a string and as bytes', () => {
    expect(metaSignature(rawBody.toString('utf8'), APP_SECRET)).toBe(metaSignature(rawBody, APP_SECRET));
  });
});

describe('hasValidMetaSignature', () => {
  const rightSignature = metaSignature(rawBody, APP_SECRET);

  it('accepts the right signature', () => {
    expect(hasValidMetaSignature(rawBody, rightSignature, APP_SECRET)).toBe(true);
  });

  it('accepts the right signature for a string body', () => {
    expect(hasValidMetaSignature(rawBody.toString('utf8'), rightSignature, APP_SECRET)).toBe(true);
  });

  it('accepts the hex digits in uppercase', () => {
    const uppercase = `sha256=${rightSignature.slice('sha256='.length).toUpperCase()}`;
    expect(uppercase).not.toBe(rightSignature);

    expect(hasValidMetaSignature(rawBody, uppercase, APP_SECRET)).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(hasValidMetaSignature(rawBody, metaSignature(rawBody, 'another-secret'), APP_SECRET)).toBe(false);
  });

  it('refuses the signature when one bit of the body is changed', () => {
    const tampered = Buffer.from(rawBody);
    tampered[tampered.length - 10] ^= 0x01;

    expect(hasValidMetaSignature(tampered, rightSignature, APP_SECRET)).toBe(false);
  });

  it('refuses a missing header', () => {
    expect(hasValidMetaSignature(rawBody, undefined, APP_SECRET)).toBe(false);
  });

  it.each([
    ['an empty header', ''],
    ['the sha1= prefix of the older X-Hub-Signature header', `sha1=${rightSignature.slice('sha256='.length)}`],
    ['no prefix', rightSignature.slice('sha256='.length)],
    ['an uppercase prefix', `SHA256=${rightSignature.slice('sha256='.length)}`],
    ['one hex digit too few', rightSignature.slice(0, -1)],
    ['one hex digit too many', `${rightSignature}0`],
    ['half the digest', rightSignature.slice(0, 'sha256='.length + 32)],
    ['a character that is not hex', `${rightSignature.slice(0, -1)}g`],
    ['surrounding whitespace', ` ${rightSignature} `],
  ])('refuses %s without throwing', (_, header) => {
    expect(() => hasValidMetaSignature(rawBody, header, APP_SECRET)).not.toThrow();
    expect(hasValidMetaSignature(rawBody, header, APP_SECRET)).toBe(false);
  });

  it('refuses everything when the app secret is empty, even a signature keyed with it', () => {
    expect(hasValidMetaSignature(rawBody, metaSignature(rawBody, ''), '')).toBe(false);
  });
});
