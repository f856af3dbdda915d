import { describe, expect, it } from '@jest/globals';
import { carriesBearerToken } from './metrics-token.guard.js';

const TOKEN = 'scrape-0123456789abcdef';

describe('carriesBearerToken', () => {
  it('accepts the token as a bearer token, whatever the case of the scheme', () => {
    expect(carriesBearerToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(carriesBearerToken(`bearer  ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['the token without the scheme', TOKEN],
    ['another scheme', `Basic ${TOKEN}`],
    ['a longer token', `Bearer ${TOKEN}x`],
    ['a shorter token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['a token of other case', `Bearer ${TOKEN.toUpperCase()}`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['the header twice', [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]],
  ])('refuses %s', (_case, header) => {
    expect(carriesBearerToken(header, TOKEN)).toBe(false);
  });
});
