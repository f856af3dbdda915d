import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Visitor, eventually, flowOnWebchat } from '../support/conversations.js';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

describe('the console in Chromium: sign-in and serving', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  it('takes the token from a sign-in link, keeps it for the tab and removes it from the address bar', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin'));
    await page.getByRole('navigation', { name: 'Tools' }).waitFor();
    expect(page.url()).toBe(`${app.url}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('workflows.token'))).toMatch(/^eyJ/);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without a token shows the sign-in field and how to get one; a bad paste is refused in words', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/`);
    await page.getByLabel('Sign-in token').fill('not a token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not a sign-in token').waitFor();
    expect(await page.getByText('npm run cli -- token --role admin').count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
    expect(await page.title()).toBe('Sign in · Workflows');
    // A token is one line: Enter signs in, as from a one-line field.
    await page.getByLabel('Sign-in token').fill(app.api.token('admin'));
    await page.getByLabel('Sign-in token').press('Enter');
    await page.getByRole('navigation', { name: 'Tools' }).waitFor();
    expect(await page.title()).toBe('Workflows');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names each page in its title, so that tabs and history entries can be told apart', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin'));
    await page.getByRole('navigation', { name: 'Tools' }).waitFor();
    for (const [link, title] of [
      ['Channels', 'Channels · Workflows'],
      ['Audit log', 'Audit log · Workflows'],
      ['Workflows', 'Workflows'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: link }).click();
      await page.waitForFunction((expected) => document.title === expected, title);
    }
    await page.goto(`${app.url}/nowhere`);
    await page.waitForFunction(() => document.title === 'Page not found · Workflows');
    // A workflow's pages by its name too: two editors in two tabs are told apart.
    const created = await app.api.request('POST', '/workflows', { body: { name: 'Titled flow' } });
    await page.goto(`${app.url}/workflows/${created.body.id}`);
    await page.waitForFunction(() => document.title === 'Titled flow · Workflow editor · Workflows');
    await page.goto(`${app.url}/workflows/${created.body.id}/sessions`);
    await page.waitForFunction(() => document.title === 'Titled flow · Sessions · Workflows');
    const { workflowId, channelId } = await flowOnWebchat(app.api, [{ id: 'ask', type: 'ask_question', text: 'Name?', variable: 'name' }], {
      name: 'Chatty flow',
    });
    await new Visitor(app.api, channelId, 'visitor-titled').say('hi');
    const sessions = await eventually(
      async () => (await app.api.request('GET', `/workflows/${workflowId}/sessions`)).body.items as { id: string }[],
      (items) => items.length === 1,
    );
    await page.goto(`${app.url}/sessions/${sessions[0].id}`);
    await page.waitForFunction(() => document.title === 'visitor-titled · Chatty flow · Session · Workflows');
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'Channels' }).click();
    await page.waitForFunction(() => document.title === 'Channels · Workflows');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a refused token back to sign-in with the reason', async () => {
    const { page, context } = await openTab(chromium.browser);
    const forged = `${app.api.token('admin').split('.').slice(0, 2).join('.')}.AAAA`;
    await page.goto(`${app.url}/?token=${forged}`);
    await page.getByRole('alert').filter({ hasText: 'The server refused your sign-in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('workflows.token'))).toBeNull();
    await context.close();
  });

  it('says a sign-in that expired while in use has expired, not that it was refused', async () => {
    const { page, context } = await openTab(chromium.browser);
    // The page's clock is behind the server's: it takes the token for valid, the server does not.
    await page.clock.setSystemTime(Date.now() - 10 * 60_000);
    await page.goto(`${app.url}/?token=${app.api.token('admin', undefined, 'admin-user', -120)}`);
    await page.getByRole('alert').filter({ hasText: 'Your sign-in has expired: open a new sign-in link, or paste a new token.' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('workflows.token'))).toBeNull();
    await context.close();
  });

  it('refuses an expired sign-in link in words, before anything is asked of the API', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/?token=${app.api.token('admin', undefined, 'admin-user', -60)}`);
    await page.getByRole('alert').filter({ hasText: 'This token has expired' }).waitFor();
    expect(page.url()).toBe(`${app.url}/`);
    await page.getByLabel('Sign-in token').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves the page for client routes, hashed assets for a year, and leaves the API and /health as they were', async () => {
    const page = await fetch(`${app.url}/workflows/some-id`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const script = await fetch(`${app.url}${asset}`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // An unread body of this size holds its socket open past the suite.
    await script.body?.cancel();
    const api = await fetch(`${app.url}/workflows/some-id`);
    expect(api.status).toBe(401);
    const health = await fetch(`${app.url}/health`, { headers: { accept: 'text/html' } });
    expect(health.headers.get('content-type')).toMatch(/json/);
    const docs = await fetch(`${app.url}/docs`, { headers: { accept: 'text/html' } });
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('serves the page at / whatever the request accepts: the API has nothing there', async () => {
    for (const headers of [{}, { accept: 'application/json' }, { accept: '*/*' }] as Record<string, string>[]) {
      const root = await fetch(`${app.url}/?token=x`, { headers });
      expect([root.status, root.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await root.text()).toMatch(/^<!doctype html>/i);
    }
    const head = await fetch(`${app.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${app.url}/`, { method: 'POST' })).status).toBe(404);
  });
});

describe('a server whose console is not built', () => {
  const unbuilt = mkdtempSync(join(tmpdir(), 'workflows-no-console-'));
  const app = consoleServerForSuite({ consoleDir: unbuilt });
  afterAll(() => rmSync(unbuilt, { recursive: true, force: true }));

  it('answers a page request with 503 and how to build it, and the API as ever', async () => {
    const page = await fetch(`${app.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('run "npm run build"');
    expect((await app.api.request('GET', '/workflows')).status).toBe(200);
  });
});
