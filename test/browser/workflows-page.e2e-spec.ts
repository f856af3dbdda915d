import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { eventually, flowOnWebchat, Visitor } from '../support/conversations.js';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

const NAME_FLOW = [
  { id: 'ask', type: 'ask_question', text: 'Your name?', variable: 'name' },
  { id: 'bye', type: 'send_message', text: 'Thanks {{name}}' },
];

/** The API's refusal of a name with a control character in it, as the page must show it. */
const CONTROL_CHARACTER_TEXT = 'name must not contain control characters';

/** Waits until `locator` has the keyboard focus. */
const expectFocused = async (page: Page, locator: Locator): Promise<void> => {
  const element = await locator.elementHandle();
  await page.waitForFunction((target) => target === document.activeElement, element);
};

/** The label of the focused element (a menu item's text, a button's aria-label). */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    return focused?.getAttribute('aria-label') ?? focused?.textContent ?? null;
  });

/** Marks the page; a reload would lose the mark. */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

describe('the Workflows page in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  /** Each test works in a workspace of its own, so it sees only its own workflows. */
  const newWorkspace = () => {
    const workspace = `ws-${randomUUID()}`;
    const admin = app.api.token('admin', workspace);
    const auditor = app.api.token('auditor', workspace);
    return {
      admin,
      auditor,
      link: (token = admin, path = '/') => `${app.url}${path}?token=${token}`,
      create: async (name: string) => (await app.api.request('POST', '/workflows', { body: { name }, token: admin })).body.id as string,
      list: async () =>
        (await app.api.request('GET', '/workflows?limit=1000', { token: admin })).body.items as { id: string; name: string }[],
    };
  };

  const openWorkflows = async (link: string) => {
    const tab = await openTab(chromium.browser);
    await tab.page.goto(link);
    await tab.page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    return tab;
  };

  const cardMenu = async (page: Page, name: string, item: string) => {
    await page.getByRole('article', { name, exact: true }).getByRole('button', { name: 'Workflow actions' }).click();
    await page.getByRole('menu', { name: 'Workflow actions' }).getByRole('menuitem', { name: item, exact: true }).click();
  };

  it('creates a workflow: an empty name is refused under the field and nothing is sent, then the editor opens', async () => {
    const workspace = newWorkspace();
    const { page, problems, context } = await openWorkflows(workspace.link());
    await page.getByRole('heading', { name: 'No workflows yet' }).waitFor();
    expect(await page.getByText('Click + Add New to create your first workflow.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Back', exact: true }).count()).toBe(1);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: '+ Add New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    const name = dialog.getByLabel('Name');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByText('Name is required').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    const description = (input: HTMLElement | SVGElement) =>
      (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
    expect(await name.evaluate(description)).toBe('Name is required At most 120 characters.');
    await expectNoSeriousAxeViolations(page);
    await name.fill('   ');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByText('Name is required').waitFor();
    expect(await workspace.list()).toEqual([]);

    expect(await dialog.getByText('At most 120 characters.').count()).toBe(1);
    await name.fill('x'.repeat(121));
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByText('Name must be at most 120 characters, not 121', { exact: true }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    // What only the API refuses is shown under the field as it said it.
    await name.fill('Tab\there');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByText(CONTROL_CHARACTER_TEXT, { exact: true }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await workspace.list()).toEqual([]);

    await name.fill('Welcome flow');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await app.api.request('GET', `/workflows/${id}`, { token: workspace.admin });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id, name: 'Welcome flow', version: 1, activeSessions: 0, steps: [] });
    // Chromium logs the API's one 400 as a failed resource; nothing else may be logged.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('counts a web chat conversation on its card live: 0, then 1 while it runs, then 0 when it ends', async () => {
    const workspace = newWorkspace();
    const { channelId } = await flowOnWebchat(app.api, NAME_FLOW, { token: workspace.admin, name: 'Greeting' });
    const { page, problems, context } = await openWorkflows(workspace.link());
    const card = page.getByRole('article', { name: 'Greeting' });
    await card.getByText('0 active sessions', { exact: true }).waitFor();
    expect(await card.getByText('Version 2', { exact: false }).count()).toBe(1);
    await markPage(page);
    await expectNoSeriousAxeViolations(page);

    const customer = await openTab(chromium.browser);
    await customer.page.goto(`${app.url}/chat/${channelId}`);
    const conversation = customer.page.getByRole('log', { name: 'Conversation' });
    await customer.page.getByLabel('Message').fill('hi');
    await customer.page.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText('Your name?').waitFor();
    await card.getByText('1 active session', { exact: true }).waitFor();

    await customer.page.getByLabel('Message').fill('Ana');
    await customer.page.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText('Thanks Ana').waitFor();
    await card.getByText('0 active sessions', { exact: true }).waitFor();
    expect(await stillMarked(page)).toBe(true);
    await expectNoSeriousAxeViolations(customer.page);
    expect(customer.problems).toEqual([]);
    expect(problems).toEqual([]);
    await customer.context.close();
    await context.close();
  });

  it('copies, deactivates the sessions of and deletes a workflow from its card menu', async () => {
    const workspace = newWorkspace();
    const { workflowId, channelId } = await flowOnWebchat(app.api, NAME_FLOW, { token: workspace.admin, name: 'Support' });
    for (let visitor = 0; visitor < 3; visitor += 1) {
      const customer = new Visitor(app.api, channelId);
      await customer.say('hi');
      await customer.awaitReplies(1);
    }
    const { page, problems, context } = await openWorkflows(workspace.link());
    const original = page.getByRole('article', { name: 'Support', exact: true });
    await original.getByText('3 active sessions', { exact: true }).waitFor();

    await cardMenu(page, 'Support', 'Copy');
    const copyDialog = page.getByRole('dialog', { name: 'Copy workflow' });
    await copyDialog.getByLabel('Name').fill('Support, second line');
    await expectNoSeriousAxeViolations(page);
    await copyDialog.getByRole('button', { name: 'Submit' }).click();
    await copyDialog.waitFor({ state: 'detached' });
    const copy = page.getByRole('article', { name: 'Support, second line' });
    await copy.getByText('0 active sessions', { exact: true }).waitFor();
    const copied = (await workspace.list()).find((workflow) => workflow.name === 'Support, second line')!;
    const copiedDetails = await app.api.request('GET', `/workflows/${copied.id}`, { token: workspace.admin });
    expect(copiedDetails.body.steps).toEqual(NAME_FLOW);
    expect(page.url()).toBe(`${app.url}/`);

    await cardMenu(page, 'Support', 'Deactivate Sessions');
    const deactivate = page.getByRole('dialog', { name: 'Deactivate sessions' });
    await deactivate.getByText('This ends 3 active sessions of “Support”').waitFor();
    await expectNoSeriousAxeViolations(page);
    await deactivate.getByRole('button', { name: 'Confirm' }).click();
    await deactivate.waitFor({ state: 'detached' });
    await original.getByText('0 active sessions', { exact: true }).waitFor();
    await eventually(
      async () => (await app.api.request('GET', `/workflows/${workflowId}`, { token: workspace.admin })).body.activeSessions,
      (count) => count === 0,
    );

    await cardMenu(page, 'Support', 'Delete');
    const remove = page.getByRole('dialog', { name: 'Delete “Support”?' });
    await remove.getByText('This cannot be undone.', { exact: false }).waitFor();
    await remove.getByText('Its active sessions end now').waitFor();
    await remove.getByText('Channels that use it will no longer have an automated flow.').waitFor();
    await expectNoSeriousAxeViolations(page);
    await remove.getByRole('button', { name: 'Delete' }).click();
    await original.waitFor({ state: 'detached' });
    await expectFocused(page, page.getByRole('heading', { level: 1, name: 'Workflows' }));
    expect((await app.api.request('GET', `/workflows/${workflowId}`, { token: workspace.admin })).status).toBe(404);
    expect(await page.getByRole('article').count()).toBe(1);
    expect(problems).toEqual([]);

    // Deleted elsewhere while its dialog is open: said by name, not with the API's id.
    await cardMenu(page, 'Support, second line', 'Delete');
    const late = page.getByRole('dialog', { name: 'Delete “Support, second line”?' });
    await late.waitFor();
    expect((await app.api.request('DELETE', `/workflows/${copied.id}`, { token: workspace.admin })).status).toBe(200);
    await late.getByRole('button', { name: 'Delete' }).click();
    await late.getByRole('alert').filter({ hasText: '“Support, second line” was deleted in the meantime' }).waitFor();
    expect(await late.getByRole('alert').textContent()).not.toContain(copied.id);
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
    await context.close();
  });

  it('shows a workflow created elsewhere without a reload, and pages past 50 with Load more', async () => {
    const workspace = newWorkspace();
    for (let number = 1; number <= 55; number += 1) await workspace.create(`Flow ${String(number).padStart(2, '0')}`);
    const { page, problems, context } = await openWorkflows(workspace.link());
    await page.getByRole('article', { name: 'Flow 55' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(50);
    await markPage(page);

    await workspace.create('Made through the API');
    await page.getByRole('article', { name: 'Made through the API' }).waitFor();
    expect(await page.getByRole('article').first().getAttribute('aria-labelledby')).toBe(
      await page.getByRole('article', { name: 'Made through the API' }).getAttribute('aria-labelledby'),
    );
    // The older workflows not yet loaded stay out until asked for, though the stream sent them.
    expect(await page.getByRole('article').count()).toBe(51);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('article', { name: 'Flow 01' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(56);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // The button went with the last page: the keyboard goes on at the first card it brought.
    expect(
      await eventually(
        () => page.evaluate(() => document.activeElement?.textContent),
        (focused) => focused === 'Flow 05',
      ),
    ).toBe('Flow 05');
    expect(await stillMarked(page)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gives an auditor the cards and counts but no command, and says Reconnecting… while the live stream is down', async () => {
    const workspace = newWorkspace();
    await workspace.create('Audited flow');
    const { page, problems, context } = await openTab(chromium.browser);
    // The first connections to the stream fail, as when the server is away.
    await page.route('**/workflows/live', (route) => route.abort('connectionrefused'));
    await page.goto(workspace.link(workspace.auditor));
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
    const card = page.getByRole('article', { name: 'Audited flow' });
    await card.getByText('0 active sessions', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '+ Add New' }).count()).toBe(0);
    // Named after its workflow: a screen reader's list of buttons tells the cards' menus apart.
    await card.getByRole('button', { name: 'Workflow actions: Audited flow', exact: true }).click();
    const items = await page
      .getByRole('menu', { name: 'Workflow actions: Audited flow', exact: true })
      .getByRole('menuitem')
      .allTextContents();
    expect(items).toEqual(['View', 'Sessions']);
    await expectNoSeriousAxeViolations(page);
    await page.keyboard.press('Escape');

    await page.unroute('**/workflows/live');
    await page.getByText('Reconnecting…').waitFor({ state: 'detached', timeout: 20_000 });
    await workspace.create('Made while watching');
    await page.getByRole('article', { name: 'Made while watching' }).waitFor();
    // Only the refused stream connections may have been reported.
    expect(problems.filter((problem) => !problem.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
    await context.close();
  });

  it('goes back to the previous page with the back arrow', async () => {
    const workspace = newWorkspace();
    const id = await workspace.create('Way back');
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(workspace.link(workspace.admin, `/workflows/${id}/sessions`));
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('article', { name: 'Way back' }).waitFor();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.waitForURL(`${app.url}/workflows/${id}/sessions`);
    await page.getByRole('heading', { level: 1, name: 'Sessions of Way back' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("opens a card's menu over the cards below it: every point of every item takes its own click", async () => {
    const workspace = newWorkspace();
    for (let index = 1; index <= 8; index++) await workspace.create(`Stacked ${index}`);
    const { page, problems, context } = await openWorkflows(workspace.link());
    await page.getByRole('article', { name: 'Stacked 8', exact: true }).getByRole('button', { name: 'Workflow actions' }).click();
    const items = page.getByRole('menu', { name: 'Workflow actions: Stacked 8' }).getByRole('menuitem');
    expect(await items.count()).toBe(5);
    const covered = await items.evaluateAll((elements) =>
      elements.flatMap((item) => {
        const box = item.getBoundingClientRect();
        return [0.02, 0.25, 0.5, 0.75, 0.98]
          .map((share) => [box.left + share * box.width, box.top + box.height / 2])
          .filter(([x, y]) => !item.contains(document.elementFromPoint(x, y)))
          .map(
            ([x]) =>
              `${item.textContent} at x=${Math.round(x)}: ${document.elementFromPoint(x, box.top + box.height / 2)?.outerHTML.slice(0, 80)}`,
          );
      }),
    );
    expect(covered).toEqual([]);
    // Where the menu of the card below would take the click, as it did.
    const deactivate = (await items.filter({ hasText: 'Deactivate Sessions' }).boundingBox())!;
    await page.mouse.click(deactivate.x + deactivate.width - 4, deactivate.y + deactivate.height / 2);
    await page.getByRole('dialog').waitFor();
    expect(await page.getByRole('dialog').textContent()).toContain('Stacked 8');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works from the keyboard: the menu opens with Enter or an arrow, arrows move, Escape returns focus; a dialog gives focus back to its opener', async () => {
    const workspace = newWorkspace();
    await workspace.create('Keyboard flow');
    const { page, problems, context } = await openWorkflows(workspace.link());
    const menuButton = page.getByRole('article', { name: 'Keyboard flow' }).getByRole('button', { name: 'Workflow actions' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Workflow actions' });
    await expectFocused(page, menu.getByRole('menuitem', { name: 'Edit' }));
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toBe('Copy');
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toBe('Delete');
    await page.keyboard.press('ArrowUp');
    expect(await focusedName(page)).toBe('Copy');
    await expectNoSeriousAxeViolations(page);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await expectFocused(page, menuButton);
    // ArrowDown and ArrowUp open it too, at its first and its last item.
    await page.keyboard.press('ArrowUp');
    await expectFocused(page, menu.getByRole('menuitem', { name: 'Sessions', exact: true }));
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await expectFocused(page, menu.getByRole('menuitem', { name: 'Edit' }));
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const copyDialog = page.getByRole('dialog', { name: 'Copy workflow' });
    await expectFocused(page, copyDialog.getByLabel('Name'));
    await page.keyboard.press('Escape');
    await copyDialog.waitFor({ state: 'detached' });
    await expectFocused(page, menuButton);

    const addNew = page.getByRole('button', { name: '+ Add New' });
    await addNew.focus();
    await page.keyboard.press('Enter');
    const addDialog = page.getByRole('dialog', { name: 'New workflow' });
    await expectFocused(page, addDialog.getByLabel('Name'));
    await page.keyboard.press('Escape');
    await addDialog.waitFor({ state: 'detached' });
    await expectFocused(page, addNew);
    expect((await workspace.list()).map((workflow) => workflow.name)).toEqual(['Keyboard flow']);
    expect(problems).toEqual([]);
    await context.close();
  });
});
