import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { apiChannelSignature, apiChannelSignatureHeaders } from './api-channel-signature.js';

const SECRET = 'a-channel-secret-of-at-least-32-characters';

describe('apiChannelSignature', () => {
  it('is sha256= and the lowercase hex HMAC-SHA256 of "<timestamp>.<raw body>", the body as UTF-8', () => {
    const body = '{"text":"Café"}';
    const expected = createHmac('sha256', SECRET).update(`1700000000.${body}`, 'utf8').digest('hex');

    expect(apiChannelSignature(1700000000, body, SECRET)).toBe(`sha256=${expected}`);
  });

  it('changes with the timestamp, the body and the secret', () => {
    const signature = apiChannelSignature(1700000000, '{}', SECRET);

    expect(apiChannelSignature(1700000001, '{}', SECRET)).not.toBe(signature);
    expect(apiChannelSignature(1700000000, '{ }', SECRET)).not.toBe(signature);
    expect(apiChannelSignature(1700000000, '{}', `${SECRET}!`)).not.toBe(signature);
  });
});

describe('apiChannelSignatureHeaders', () => {
  it('signs with the unix seconds of the moment given, which it sends as X-Timestamp', () => {
    const headers = apiChannelSignatureHeaders('{"a":1}', SECRET, new Date('2026-12-02T01:00:00.999Z'));

    expect(headers).toEqual({
      'X-Timestamp': '1796173200',
      'X-Signature-256': apiChannelSignature(1796173200, '{"a":1}', SECRET),
    });
  });
});
