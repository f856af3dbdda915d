import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { InvalidTokenError, signJwt, verifyJwt } from './jwt.js';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const NOW = new Date('2026-01-01T00:00:00Z');

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (header: object, payload: object, secret = SECRET) => {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

describe('JWT', () => {
  it('round-trips a principal, with the default workspace when the claim is absent', () => {
    const token = signJwt({ sub: 'ann', role: 'admin' }, SECRET, 60, NOW);
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ sub: 'ann', role: 'admin', workspace: 'default' });
    const scoped = signJwt({ sub: 'bob', role: 'auditor', workspace: 'acme' }, SECRET, 60, NOW);
    expect(verifyJwt(scoped, SECRET, NOW)).toEqual({ sub: 'bob', role: 'auditor', workspace: 'acme' });
  });

  it('accepts a token of another issuer that is signed with the same secret', () => {
    expect(verifyJwt(hs256({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', role: 'admin', exp: 2e9 }), SECRET, NOW)).toEqual({
      sub: 'a',
      role: 'admin',
      workspace: 'default',
    });
  });

  it.each([
    ['another secret', () => signJwt({ sub: 'a', role: 'admin' }, 'some-other-secret-of-enough-length!!', 60, NOW)],
    ['an expired token', () => signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, new Date(NOW.getTime() - 61_000))],
    ['alg none', () => `${encode({ alg: 'none' })}.${encode({ sub: 'a', role: 'admin' })}.`],
    ['a wrong role', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'owner', exp: 2e9 })],
    ['no sub', () => hs256({ alg: 'HS256' }, { role: 'admin', exp: 2e9 })],
    ['no exp', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin' })],
    ['a text exp', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: '2000000000' })],
    ['a text nbf', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: 2e9, nbf: '1' })],
    ['junk after the signature', () => `${signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, NOW)}!!`],
    ['a non-string workspace', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: 2e9, workspace: 7 })],
    ['not before in the future', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: 2e9, nbf: NOW.getTime() / 1000 + 60 })],
    ['two segments', () => 'abc.def'],
    ['garbage segments', () => 'abc.def.ghi'],
  ])('rejects %s', (_case, token) => {
    expect(() => verifyJwt(token(), SECRET, NOW)).toThrow(InvalidTokenError);
  });
});
