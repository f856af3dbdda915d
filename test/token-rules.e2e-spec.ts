import { describe, expect, it } from '@jest/globals';
import { inProcessServerForSuite } from './support/suite-server.js';

/** Tokens signed with the server's own secret that still say something the server must not believe. */
describe('token rules over HTTP', () => {
  const suite = inProcessServerForSuite();
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const listWith = (payload: string) => suite.api.request('GET', '/workflows', { token: suite.api.tokenWithPayload(payload) });
  const claims = (extra: Record<string, unknown>) => JSON.stringify({ sub: 'ann', role: 'admin', exp: nowSeconds() + 600, ...extra });

  it.each([
    ['in the year 3000', String(Date.UTC(3000, 0, 1) / 1000), /^Invalid token: token lifetime of \d+ s exceeds the maximum of 86400 s$/],
    ['of 1e308', '1e308', /^Invalid token: token lifetime of 1e\+308 s exceeds the maximum of 86400 s$/],
    ['of 1e309 (Infinity once parsed)', '1e309', /^Invalid token: claim exp must be a number of seconds$/],
  ])('answers 401 to an exp %s, with iat and without', async (_case, exp, message) => {
    for (const issued of [`"iat":${nowSeconds()},`, '']) {
      const answer = await listWith(`{"sub":"ann","role":"admin",${issued}"exp":${exp}}`);
      expect(answer.status).toBe(401);
      expect(answer.body.message).toMatch(message);
    }
  });

  it('answers 401 to a token issued further in the future than the 30 s clock tolerance, and accepts one within it', async () => {
    const ahead = await listWith(claims({ iat: nowSeconds() + 120, exp: nowSeconds() + 180 }));
    expect(ahead.status).toBe(401);
    expect(ahead.body.message).toBe('Invalid token: token issued in the future');
    expect((await listWith(claims({ iat: nowSeconds() + 10 }))).status).toBe(200);
  });

  const workspaceRule = 'Invalid token: claim workspace must be 1 to 64 characters of letters, digits and . _ -';
  const subRule = 'Invalid token: claim sub must be 1 to 128 characters of letters, digits and . _ @ : + | -';
  it.each([
    ['a workspace of 10,000 characters', { workspace: 'w'.repeat(10_000) }, workspaceRule],
    ['a workspace with control characters', { workspace: 'acme\u0000\u001b[2J' }, workspaceRule],
    ['a workspace with a line break', { workspace: 'acme\r\nX-Injected: 1' }, workspaceRule],
    ['a sub of 129 characters', { sub: 's'.repeat(129) }, subRule],
    ['a sub with a control character', { sub: 'ann\u0007' }, subRule],
    ['an empty sub', { sub: '' }, subRule],
  ])('answers 401 to %s, naming the claim without repeating its value', async (_case, claim, message) => {
    const answer = await listWith(claims(claim));
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBe(message);
    // Compared as JSON text, where both have their control characters escaped alike.
    const value = JSON.stringify(Object.values(claim)[0]).slice(1, -1);
    if (value !== '') expect(JSON.stringify(answer.body)).not.toContain(value);
  });

  it('accepts the longest workspace and sub the rules allow', async () => {
    const answer = await listWith(claims({ workspace: 'w'.repeat(64), sub: `${'s'.repeat(123)}@x.io` }));
    expect(answer.status).toBe(200);
  });
});
