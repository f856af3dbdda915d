import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { flowOnWebchat } from '../support/conversations.js';
import { chromiumForSuite, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

/** The longest name the API takes, with no space to break it at. */
const LONGEST_NAME = 'W'.repeat(120);
const FLOW = [
  { id: 'hello', type: 'send_message', text: 'Hi' },
  { id: 'ask', type: 'ask_question', text: 'Your name?', variable: 'name' },
  { id: 'bye', type: 'send_message', text: 'Thanks {{name}}' },
];

/** How far the page reaches past the window's right edge; 0 when nothing needs sideways scrolling. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the console in a narrow window and with the longest names', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  it('fits a 375 px window on every page, the editor showing its graph, with a 120-letter name', async () => {
    const { workflowId, channelId } = await flowOnWebchat(app.api, FLOW, { name: LONGEST_NAME });
    // A session, so that the sessions page has its table to fit.
    await app.api.request('POST', `/webchat/${channelId}/messages`, { body: { contactId: 'narrow-visitor', text: 'Hi' }, token: null });
    const { page, problems, context } = await openTab(chromium.browser);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(app.signInLink('admin', '/'));
    await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
    await page.getByRole('article', { name: LONGEST_NAME }).waitFor();
    expect(await overflow(page)).toBe(0);
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(375);
    // The tools on one line: none wraps under the others.
    const tools = await page
      .getByRole('navigation', { name: 'Tools' })
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => link.getBoundingClientRect()).map(({ top, bottom }) => ({ top, bottom })));
    expect(tools).toHaveLength(3);
    expect(Math.max(...tools.map(({ top }) => top))).toBeLessThan(Math.min(...tools.map(({ bottom }) => bottom)));

    await page.goto(`${app.url}/workflows/${workflowId}`);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    expect((await page.locator('.canvas').boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.getByRole('heading', { level: 1 }).getAttribute('title')).toBe(LONGEST_NAME);
    expect(await overflow(page)).toBe(0);
    // The palette's entries one per row, each as wide as the others, however long its help.
    const entryWidths = await page
      .getByRole('button', { name: /^Add / })
      .evaluateAll((buttons) => buttons.map((button) => Math.round(button.getBoundingClientRect().width)));
    expect(entryWidths.length).toBeGreaterThan(5);
    expect(new Set(entryWidths)).toEqual(new Set([entryWidths[0]]));

    for (const [path, heading, shown] of [
      ['/channels', 'Channels', 'Site chat'],
      [`/workflows/${workflowId}/sessions`, LONGEST_NAME, 'narrow-visitor'],
      ['/audit', 'Audit log', 'WorkflowCreated'],
      [`/audit?workflow=${workflowId}`, 'Audit log', 'Show at that time'],
    ]) {
      await page.goto(`${app.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByText(shown).first().waitFor();
      expect([path, await overflow(page)]).toEqual([path, 0]);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps a long name inside its dialogs, and offers a copy a name the API takes', async () => {
    const workspace = 'long-names';
    const token = app.api.token('admin', workspace);
    await app.api.request('POST', '/workflows', { body: { name: LONGEST_NAME }, token });
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/?token=${token}`);
    const card = page.getByRole('article', { name: LONGEST_NAME });
    for (const item of ['Delete', 'Deactivate Sessions']) {
      await card.getByRole('button', { name: 'Workflow actions' }).click();
      await page.getByRole('menuitem', { name: item }).click();
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      expect(await dialog.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
    await card.getByRole('button', { name: 'Workflow actions' }).click();
    await page.getByRole('menuitem', { name: 'Copy' }).click();
    const copyDialog = page.getByRole('dialog', { name: 'Copy workflow' });
    expect(await copyDialog.getByLabel('Name').inputValue()).toBe(`${'W'.repeat(113)} (copy)`);
    await copyDialog.getByRole('button', { name: 'Submit' }).click();
    await copyDialog.waitFor({ state: 'detached' });
    await page.getByRole('article', { name: `${'W'.repeat(113)} (copy)` }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows which connection has the keyboard focus', async () => {
    const { workflowId } = await flowOnWebchat(app.api, FLOW, { name: 'Focus' });
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin', `/workflows/${workflowId}`));
    await page.locator('.react-flow__edge').first().waitFor({ state: 'attached' });
    const strokeOf = (index: number) =>
      page
        .locator('.react-flow__edge')
        .nth(index)
        .locator('.react-flow__edge-path')
        .evaluate((path) => getComputedStyle(path).strokeWidth);
    const unfocused = await strokeOf(0);
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('react-flow__edge'))) break;
    }
    const focused = await page.evaluate(() => [...document.querySelectorAll('.react-flow__edge')].indexOf(document.activeElement!));
    expect(focused).toBeGreaterThanOrEqual(0);
    expect(await strokeOf(focused)).not.toBe(unfocused);
    expect(problems).toEqual([]);
    await context.close();
  });
});
