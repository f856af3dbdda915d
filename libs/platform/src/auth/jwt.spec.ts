import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { InvalidTokenError, signJwt, verifyJwt } from './jwt.js';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const NOW = new Date('2026-01-01T00:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const at = { now: NOW };

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (header: object, payload: object, secret = SECRET) => {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const refusal = (token: string, options: { now?: Date; maxTtlSeconds?: number } = at) =>
  verifyJwt(token, SECRET, options).then(
    () => 'accepted',
    (error: unknown) => (error instanceof InvalidTokenError ? error.message : `unexpected ${String(error)}`),
  );

describe('JWT', () => {
  it('round-trips a principal, with the default workspace when the claim is absent', async () => {
    const token = await signJwt({ sub: 'ann', role: 'admin' }, SECRET, 60, NOW);
    await expect(verifyJwt(token, SECRET, at)).resolves.toEqual({ sub: 'ann', role: 'admin', workspace: 'default' });
    const scoped = await signJwt({ sub: 'bob', role: 'auditor', workspace: 'acme' }, SECRET, 60, NOW);
    await expect(verifyJwt(scoped, SECRET, at)).resolves.toEqual({ sub: 'bob', role: 'auditor', workspace: 'acme' });
  });

  it('accepts a token of another issuer that is signed with the same secret', async () => {
    await expect(
      verifyJwt(hs256({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 60 }), SECRET, at),
    ).resolves.toEqual({
      sub: 'a',
      role: 'admin',
      workspace: 'default',
    });
  });

  it.each([
    ['another secret', () => signJwt({ sub: 'a', role: 'admin' }, 'some-other-secret-of-enough-length!!', 60, NOW), 'bad signature'],
    ['an expired token', () => signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, new Date(NOW.getTime() - 91_000)), 'token expired'],
    ['alg none', () => `${encode({ alg: 'none' })}.${encode({ sub: 'a', role: 'admin' })}.`, 'unsupported algorithm'],
    ['alg HS512', () => hs256({ alg: 'HS512' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 60 }), 'unsupported algorithm'],
    [
      'a wrong role',
      () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'owner', exp: NOW_SECONDS + 60 }),
      'claim role must be admin or auditor',
    ],
    ['no sub', () => hs256({ alg: 'HS256' }, { role: 'admin', exp: NOW_SECONDS + 60 }), 'claim sub missing'],
    ['no exp', () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin' }), 'claim exp must be a number of seconds and is required'],
    [
      'a text exp',
      () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: '2000000000' }),
      'claim exp must be a number of seconds and is required',
    ],
    [
      'a text nbf',
      () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 60, nbf: '1' }),
      'claim nbf must be a number of seconds',
    ],
    ['junk after the signature', async () => `${await signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, NOW)}!!`, 'malformed token'],
    [
      'a non-string workspace',
      () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 60, workspace: 7 }),
      'claim workspace must be a non-empty string',
    ],
    [
      'not before in the future',
      () => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 600, nbf: NOW_SECONDS + 60 }),
      'token not yet valid',
    ],
    ['two segments', () => 'abc.def', 'malformed token'],
    ['garbage segments', () => 'abc.def.ghi', 'malformed token'],
  ])('rejects %s', async (_case, token: () => string | Promise<string>, message) => {
    expect(await refusal(await token())).toBe(message);
  });

  it('allows 30 seconds of clock skew, no more', async () => {
    const expiredJustNow = await signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, new Date(NOW.getTime() - 89_000));
    expect(await refusal(expiredJustNow)).toBe('accepted');
    const issuedInAMoment = hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', nbf: NOW_SECONDS + 20, exp: NOW_SECONDS + 600 });
    expect(await refusal(issuedInAMoment)).toBe('accepted');
    const expiredLongAgo = await signJwt({ sub: 'a', role: 'admin' }, SECRET, 60, new Date(NOW.getTime() - 91_000));
    expect(await refusal(expiredLongAgo)).toBe('token expired');
  });

  it('refuses a token that would live longer than the maximum lifetime', async () => {
    const day = await signJwt({ sub: 'a', role: 'admin' }, SECRET, 24 * 3600, NOW);
    expect(await refusal(day)).toBe('accepted');
    const longer = await signJwt({ sub: 'a', role: 'admin' }, SECRET, 24 * 3600 + 1, NOW);
    expect(await refusal(longer)).toBe('token lifetime of 86401 s exceeds the maximum of 86400 s');
    expect(await refusal(day, { now: NOW, maxTtlSeconds: 3600 })).toBe('token lifetime of 86400 s exceeds the maximum of 3600 s');
    // Without `iat` the lifetime counts from now.
    const noIat = hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 7200 });
    expect(await refusal(noIat, { now: NOW, maxTtlSeconds: 3600 })).toBe('token lifetime of 7200 s exceeds the maximum of 3600 s');
    expect(await refusal(noIat, { now: NOW, maxTtlSeconds: 7200 })).toBe('accepted');
  });
});
