import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { InvalidTokenError, defaultTokenTtlSeconds, signJwt, verifyJwt } from './jwt.js';

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
      'claim workspace must be 1 to 64 characters of letters, digits and . _ -',
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

  // Signed by hand: JSON's 1e309 reads as Infinity, which no encoder writes.
  const withRawExp = (exp: string, iat?: number) => {
    const payload = `{"sub":"a","role":"admin",${iat === undefined ? '' : `"iat":${iat},`}"exp":${exp}}`;
    const input = `${encode({ alg: 'HS256' })}.${Buffer.from(payload).toString('base64url')}`;
    return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  };

  it.each([
    ['in the year 3000', String(Date.UTC(3000, 0, 1) / 1000), 'token lifetime of 30736454400 s exceeds the maximum of 86400 s'],
    ['of 1e308', '1e308', 'token lifetime of 1e+308 s exceeds the maximum of 86400 s'],
    ['of 1e309', '1e309', 'claim exp must be a number of seconds'],
  ])('refuses an exp %s, with or without iat', async (_case, exp, message) => {
    expect(await refusal(withRawExp(exp, NOW_SECONDS))).toBe(message);
    expect(await refusal(withRawExp(exp))).toBe(message);
  });

  it('refuses a token issued further in the future than the clock tolerance', async () => {
    const issuedIn = (seconds: number) =>
      hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', iat: NOW_SECONDS + seconds, exp: NOW_SECONDS + seconds + 60 });
    expect(await refusal(issuedIn(30))).toBe('accepted');
    expect(await refusal(issuedIn(31))).toBe('token issued in the future');
    expect(await refusal(issuedIn(10 * 365 * 24 * 3600))).toBe('token issued in the future');
  });

  const workspaceRule = 'claim workspace must be 1 to 64 characters of letters, digits and . _ -';
  const subRule = 'claim sub must be 1 to 128 characters of letters, digits and . _ @ : + | -';
  const withClaims = (claims: object) => hs256({ alg: 'HS256' }, { sub: 'a', role: 'admin', exp: NOW_SECONDS + 60, ...claims });

  it.each([
    ['10,000 characters', 'w'.repeat(10_000)],
    ['65 characters', 'w'.repeat(65)],
    ['a control character', 'acme\u0000'],
    ['a line break', 'acme\nroot'],
    ['a space', 'acme corp'],
    ['a slash', 'acme/globex'],
    ['a non-ASCII letter', 'acmé'],
    ['nothing', ''],
  ])('refuses a workspace of %s, naming the claim without repeating it', async (_case, workspace) => {
    const message = await refusal(withClaims({ workspace }));
    expect(message).toBe(workspaceRule);
    if (workspace !== '') expect(message).not.toContain(workspace);
  });

  it.each([
    ['129 characters', 's'.repeat(129)],
    ['a control character', 'ann\u001b[31m'],
    ['a space', 'ann smith'],
    ['nothing', ''],
    ['a number', 42],
  ])('refuses a sub of %s', async (_case, sub) => {
    expect(await refusal(withClaims({ sub }))).toBe(subRule);
  });

  it('accepts the longest workspace and sub, and subjects that are e-mail addresses or provider ids', async () => {
    for (const claims of [
      { workspace: 'w'.repeat(64), sub: 's'.repeat(128) },
      { workspace: 'acme.eu_2-b', sub: 'ann+ops@example.com' },
      { sub: 'auth0|5f7c8ec7c33c6c004bbafe82' },
      { sub: 'user:42' },
    ]) {
      expect(await refusal(withClaims(claims))).toBe('accepted');
    }
  });

  describe('a token verified before', () => {
    // Each case signs its own token, so none was verified by an earlier case.
    const tokenLiving = (seconds: number, claims: object = {}) =>
      hs256({ alg: 'HS256' }, { sub: 'memo', role: 'admin', iat: NOW_SECONDS, exp: NOW_SECONDS + seconds, ...claims });
    const later = (seconds: number) => ({ now: new Date(NOW.getTime() + seconds * 1000) });

    it('expires as if it had never been verified', async () => {
      const token = tokenLiving(60);
      expect(await refusal(token)).toBe('accepted');
      expect(await refusal(token, later(89))).toBe('accepted');
      expect(await refusal(token, later(90))).toBe('token expired');
      expect(await refusal(token, later(89))).toBe('accepted');
    });

    it('is checked in full at a moment before it was first verified', async () => {
      const notBefore = tokenLiving(600, { nbf: NOW_SECONDS });
      expect(await refusal(notBefore, later(60))).toBe('accepted');
      expect(await refusal(notBefore, later(-31))).toBe('token not yet valid');
      const issued = tokenLiving(600);
      expect(await refusal(issued, later(60))).toBe('accepted');
      expect(await refusal(issued, later(-31))).toBe('token issued in the future');
    });

    it('is refused under another secret or a shorter lifetime limit', async () => {
      const token = tokenLiving(7200);
      expect(await refusal(token)).toBe('accepted');
      await expect(verifyJwt(token, 'some-other-secret-of-enough-length!!', at)).rejects.toThrow('bad signature');
      expect(await refusal(token, { now: NOW, maxTtlSeconds: 3600 })).toBe('token lifetime of 7200 s exceeds the maximum of 3600 s');
    });

    it('answers the same principal, which no caller can change', async () => {
      const token = tokenLiving(60, { workspace: 'acme' });
      const first = await verifyJwt(token, SECRET, at);
      const again = await verifyJwt(token, SECRET, later(1));
      expect(again).toEqual({ sub: 'memo', role: 'admin', workspace: 'acme' });
      expect(Object.isFrozen(first) && Object.isFrozen(again)).toBe(true);
    });
  });
});

describe('defaultTokenTtlSeconds', () => {
  it('is 12 hours, or the longest lifetime the server accepts when that is shorter', () => {
    expect(defaultTokenTtlSeconds(undefined)).toBe(43_200);
    expect(defaultTokenTtlSeconds(86_400)).toBe(43_200);
    expect(defaultTokenTtlSeconds(3600)).toBe(3600);
  });
});
