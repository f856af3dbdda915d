import { describe, expect, it } from '@jest/globals';
import { SecretBox, SecretBoxError } from './secret-box.js';

const secrets = { accessToken: 'EAAG-token-123', appSecret: 'app-secret-456' };

describe('SecretBox', () => {
  const box = SecretBox.fromBase64Key(SecretBox.generateKey());

  it('opens what it sealed, and the seal shows none of the secrets', () => {
    const sealed = box.seal(secrets);
    expect(box.open(sealed)).toEqual(secrets);
    expect(sealed).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    for (const value of Object.values(secrets)) expect(sealed).not.toContain(value);
    expect(box.seal(secrets)).not.toBe(sealed);
  });

  it('refuses a seal made with another key, an altered one, and anything else', () => {
    const sealed = box.seal(secrets);
    const other = SecretBox.fromBase64Key(SecretBox.generateKey());
    expect(() => other.open(sealed)).toThrow(SecretBoxError);
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), flipped.toString('base64url')].join(':'))).toThrow(SecretBoxError);
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  it('takes only 32-byte keys', () => {
    expect(() => SecretBox.fromBase64Key('c2hvcnQ')).toThrow('the key must be 32 bytes');
    expect(() => SecretBox.fromBase64Key(Buffer.alloc(32, 7).toString('base64'))).not.toThrow();
  });
});
