import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { eventually } from '../support/conversations.js';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

const FLOW = [
  { id: 'welcome', type: 'send_message', text: 'Welcome to Acme' },
  { id: 'ask', type: 'ask_question', text: 'What is your name?', variable: 'name' },
  { id: 'thanks', type: 'send_message', text: 'Thanks {{name}}' },
];

describe('the workflow editor in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  /** A workflow with FLOW published as version 2. */
  const workflowWithFlow = async (name: string): Promise<string> => {
    const created = await app.api.request('POST', '/workflows', { body: { name } });
    const published = await app.api.request('PUT', `/workflows/${created.body.id}/definition`, { body: { steps: FLOW, expectedVersion: 1 } });
    expect(published.body.version).toBe(2);
    return created.body.id as string;
  };

  /** The workflow as the API has it once it reached `version`. */
  const workflowAt = (id: string, version: number) =>
    eventually(
      async () => (await app.api.request('GET', `/workflows/${id}`)).body,
      (workflow) => workflow.version >= version,
    );

  const openEditor = async (id: string, role: 'admin' | 'auditor' = 'admin') => {
    const tab = await openTab(chromium.browser);
    await tab.page.goto(app.signInLink(role, `/workflows/${id}`));
    await tab.page.getByRole('group', { name: 'Send message step welcome' }).waitFor();
    return tab;
  };

  const stepNode = (page: Page, name: string) => page.getByRole('group', { name });
  const panel = (page: Page) => page.getByRole('tabpanel');

  it('edits a step text and saves: the page shows the new version, the API has it with that text', async () => {
    const id = await workflowWithFlow('Greeter');
    const { page, problems, context } = await openEditor(id);
    await page.getByText('Version 2', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

    await stepNode(page, 'Send message step welcome').click();
    const text = panel(page).getByLabel('Text', { exact: true });
    expect(await text.inputValue()).toBe('Welcome to Acme');
    await text.fill('Hello and welcome');
    await page.getByText('Unsaved changes').waitFor();
    await expect(stepNode(page, 'Send message step welcome').textContent()).resolves.toContain('Hello and welcome');
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: 'Save' }).click();

    await page.getByRole('status').filter({ hasText: 'Saved as version 3.' }).waitFor();
    await page.getByText('Version 3', { exact: true }).waitFor();
    expect(await page.getByText('Unsaved changes').count()).toBe(0);
    const saved = await workflowAt(id, 3);
    expect(saved.version).toBe(3);
    expect(saved.steps).toEqual([{ ...FLOW[0], text: 'Hello and welcome' }, FLOW[1], FLOW[2]]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
