import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { eventually, flowOnWebchat, Visitor } from '../support/conversations.js';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

const NAME_FLOW = [
  { id: 'ask', type: 'ask_question', text: 'Your name?', variable: 'name' },
  { id: 'bye', type: 'send_message', text: 'Thanks {{name}}' },
];

describe('the sessions pages in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  it('lists a workflow’s session while active, then ended, and shows its transcript, variables and end reason', async () => {
    const token = app.api.token('admin', `ws-${randomUUID()}`);
    const { workflowId, channelId } = await flowOnWebchat(app.api, NAME_FLOW, { token, name: 'Greeting' });
    const customer = new Visitor(app.api, channelId);
    await customer.say('hi');
    await customer.awaitReplies(1);
    const listed = async (status: 'active' | 'ended') =>
      (await app.api.request('GET', `/workflows/${workflowId}/sessions?status=${status}`, { token })).body.items as { id: string }[];
    const [session] = await eventually(
      () => listed('active'),
      (items) => items.length === 1,
    );

    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/?token=${token}`);
    await page.getByRole('article', { name: 'Greeting' }).getByRole('button', { name: 'Workflow actions' }).click();
    await page.getByRole('menuitem', { name: 'Sessions', exact: true }).click();
    await page.waitForURL(`${app.url}/workflows/${workflowId}/sessions`);
    await page.getByRole('heading', { level: 1, name: 'Sessions of Greeting' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Active' }).getAttribute('aria-selected')).toBe('true');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: customer.contactId }) });
    await row.getByRole('cell', { name: 'Site chat' }).waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([customer.contactId, 'Site chat', '2', 'ask', expect.any(String)]);
    await expectNoSeriousAxeViolations(page);

    await customer.say('Ana');
    await customer.awaitReplies(2);
    await eventually(
      () => listed('ended'),
      (items) => items.length === 1,
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No conversation is in this workflow right now.').waitFor();
    await page.getByRole('tab', { name: 'Active' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`${app.url}/workflows/${workflowId}/sessions?status=ended`);
    expect(await page.getByRole('tab', { name: 'Ended' }).getAttribute('aria-selected')).toBe('true');
    await row.getByRole('cell', { name: 'The flow finished' }).waitFor();
    await expectNoSeriousAxeViolations(page);

    await row.getByRole('link', { name: customer.contactId }).click();
    await page.waitForURL(`${app.url}/sessions/${session.id}`);
    await page.getByRole('heading', { level: 1, name: `Session with ${customer.contactId}` }).waitFor();
    // The workflow's and the channel's names arrive with their own reads.
    await page.getByRole('link', { name: 'Greeting', exact: true }).waitFor();
    await page.locator('.session-facts dd', { hasText: 'Site chat' }).waitFor();
    const facts = Object.fromEntries(
      await page
        .locator('.session-facts dt')
        .evaluateAll((terms) => terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])),
    );
    expect(facts).toMatchObject({
      Status: 'Ended',
      Workflow: 'Greeting · version 2',
      Channel: 'Site chat',
      Contact: customer.contactId,
      'End reason': 'The flow finished',
    });
    const variables = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Value' }) });
    expect(await variables.getByRole('row').allTextContents()).toEqual(['NameValue', 'nameAna']);
    const transcript = page.getByRole('region', { name: 'Transcript' }).getByRole('listitem');
    expect(await transcript.locator('.transcript-text').allTextContents()).toEqual(['hi', 'Your name?', 'Ana', 'Thanks Ana']);
    expect(await transcript.locator('.transcript-who').allTextContents()).toEqual(['Customer', 'Bot', 'Customer', 'Bot']);
    await expectNoSeriousAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows 50 sessions, then the next ones on "Load more", each once', async () => {
    const token = app.api.token('admin', `ws-${randomUUID()}`);
    const { workflowId, channelId } = await flowOnWebchat(app.api, NAME_FLOW, { token, name: 'Busy' });
    const customers = Array.from({ length: 53 }, () => new Visitor(app.api, channelId));
    for (const customer of customers) await customer.say('hi');
    await eventually(
      async () => (await app.api.request('GET', `/workflows/${workflowId}/sessions?status=active&limit=100`, { token })).body.items,
      (items: unknown[]) => items.length === customers.length,
    );

    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/workflows/${workflowId}/sessions?token=${token}`);
    const contactLinks = page.getByRole('row').getByRole('link');
    await page.getByRole('heading', { level: 1, name: 'Sessions of Busy' }).waitFor();
    await eventually(
      () => contactLinks.count(),
      (count) => count === 50,
    );
    // Newest first: the last customers to write are on the first page.
    expect(await contactLinks.first().textContent()).toBe(customers.at(-1)?.contactId);
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(
      () => contactLinks.count(),
      (count) => count === customers.length,
    );
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(
      await eventually(
        () => page.evaluate(() => document.activeElement?.textContent),
        (focused) => focused === customers[2].contactId,
      ),
    ).toBe(customers[2].contactId);
    const shown = await contactLinks.allTextContents();
    expect(new Set(shown)).toEqual(new Set(customers.map((customer) => customer.contactId)));
    expect(shown.at(-1)).toBe(customers[0].contactId);
    await expectNoSeriousAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says in words that a session or a workflow does not exist', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    const missing = randomUUID();
    await page.goto(app.signInLink('admin', `/sessions/${missing}`));
    await page
      .getByRole('alert')
      .filter({ hasText: `Session ${missing} not found` })
      .waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${app.url}/workflows/${missing}/sessions`);
    await page
      .getByRole('alert')
      .filter({ hasText: `Workflow ${missing} not found` })
      .waitFor();
    // Chromium logs each of the API's 404s as a failed resource; nothing else may be logged.
    // The session; then the workflow and its sessions.
    expect(problems).toEqual(
      Array(3).fill('console error: Failed to load resource: the server responded with a status of 404 (Not Found)'),
    );
    await context.close();
  });
});
