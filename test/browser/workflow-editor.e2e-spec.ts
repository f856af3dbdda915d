import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
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
    const published = await app.api.request('PUT', `/workflows/${created.body.id}/definition`, {
      body: { steps: FLOW, expectedVersion: 1 },
    });
    expect(published.body.version).toBe(2);
    return created.body.id as string;
  };

  /** The workflow as the API has it once it reached `version`. */
  const workflowAt = (id: string, version: number) =>
    eventually(
      async () => (await app.api.request('GET', `/workflows/${id}`)).body,
      (workflow) => workflow.version >= version,
    );

  const activeSessions = (id: string) => async () => (await app.api.request('GET', `/workflows/${id}`)).body.activeSessions as number;

  const openEditor = async (id: string, role: 'admin' | 'auditor' = 'admin') => {
    const tab = await openTab(chromium.browser);
    await tab.page.goto(app.signInLink(role, `/workflows/${id}`));
    await tab.page.getByRole('group', { name: 'Send message step welcome' }).waitFor();
    return tab;
  };

  const stepNode = (page: Page, name: string) => page.getByRole('group', { name });
  const panel = (page: Page) => page.getByRole('tabpanel');
  /** The accessible name of what has the keyboard focus, once it is `name` (or what it is after a while). */
  const focusedOnceNamed = (page: Page, name: string) =>
    eventually(
      () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName),
      (focused) => focused === name,
    );

  /** Where an element is once the canvas stopped moving it (a new step is laid out and fitted into view). */
  const settledBox = async (locator: Locator) => {
    let last = await locator.boundingBox();
    for (;;) {
      await locator.page().waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
      const now = await locator.boundingBox();
      if (now !== null && JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
  };

  it('edits a step text and saves: the page shows the new version, the API has it with that text', async () => {
    const id = await workflowWithFlow('Greeter');
    const { page, problems, context } = await openEditor(id);
    await page.getByText('Version 2', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBe('true');

    await stepNode(page, 'Send message step welcome').click();
    const text = panel(page).getByLabel('Text', { exact: true });
    expect(await text.inputValue()).toBe('Welcome to Acme');
    await text.fill('Hello and welcome');
    await page.getByText('Unsaved changes').waitFor();
    await expect(stepNode(page, 'Send message step welcome').textContent()).resolves.toContain('Hello and welcome');
    await expectNoSeriousAxeViolations(page);
    // From the keyboard; the focus stays on Save afterwards.
    await page.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');

    await page.getByRole('status').filter({ hasText: 'Saved as version 3.' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Save');
    await page.getByText('Version 3', { exact: true }).waitFor();
    expect(await page.getByText('Unsaved changes').count()).toBe(0);
    const saved = await workflowAt(id, 3);
    expect(saved.version).toBe(3);
    expect(saved.steps).toEqual([{ ...FLOW[0], text: 'Hello and welcome' }, FLOW[1], FLOW[2]]);
    // An edit since makes "Saved" untrue: the notice goes.
    await text.fill('Hello again');
    await page.getByText('Unsaved changes').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Saved as version 3.' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a step from the palette, fills it, connects it by dragging, saves: the API has it', async () => {
    const id = await workflowWithFlow('Palette');
    const { page, problems, context } = await openEditor(id);
    await page.getByRole('navigation', { name: 'Add a step' }).getByRole('button', { name: 'Add Send message' }).click();
    const added = stepNode(page, 'Send message step send_message_1');
    await added.waitFor();
    // The keyboard goes on in the new step's form.
    expect(
      await eventually(
        () => page.evaluate(() => document.activeElement?.closest('[role=tabpanel]') !== null && document.activeElement?.tagName),
        (focused) => focused === 'INPUT' || focused === 'TEXTAREA',
      ),
    ).toBeTruthy();
    await panel(page).getByLabel('Text', { exact: true }).fill('One more thing');
    await panel(page).getByLabel('Step id').fill('extra');
    const node = stepNode(page, 'Send message step extra');
    await node.waitFor();

    // From the question's outgoing handle onto the new step: the question's next is set.
    const from = await settledBox(stepNode(page, 'Ask question step ask').locator('.react-flow__handle.source'));
    const to = await settledBox(node.locator('.react-flow__handle.target'));
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
    await page.getByRole('group', { name: 'From ask to extra', exact: true }).waitFor();
    expect(await panel(page).getByLabel('Next (optional)', { exact: true }).inputValue()).toBe('extra');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Version 3', { exact: true }).waitFor();
    const saved = await workflowAt(id, 3);
    expect(saved.steps).toEqual([
      FLOW[0],
      { ...FLOW[1], next: 'extra' },
      FLOW[2],
      { id: 'extra', type: 'send_message', text: 'One more thing' },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('deletes a step with the Delete key (undoably) and a connection with its button; links to the step go with it', async () => {
    const id = await workflowWithFlow('Deletions');
    await app.api.request('PUT', `/workflows/${id}/definition`, {
      body: { steps: [FLOW[0], { ...FLOW[1], next: 'thanks', invalidNext: 'thanks' }, FLOW[2]], expectedVersion: 2 },
    });
    await workflowAt(id, 3);
    const { page, problems, context } = await openEditor(id);
    // An edge is selected from the keyboard as well as by a click.
    const invalidLink = page.getByRole('group', { name: 'From ask to thanks (invalid)', exact: true });
    await invalidLink.focus();
    await page.keyboard.press('Enter');
    await panel(page).getByText('From ask to thanks (invalid).').waitFor();
    await panel(page).getByRole('button', { name: 'Delete connection' }).click();
    expect(await invalidLink.count()).toBe(0);
    await page.getByRole('status').filter({ hasText: 'Connection deleted.' }).getByRole('button', { name: 'Undo' }).waitFor();
    expect(await page.getByRole('group', { name: 'From ask to thanks', exact: true }).count()).toBe(1);

    await stepNode(page, 'Send message step thanks').click();
    await page.keyboard.press('Delete');
    expect(await stepNode(page, 'Send message step thanks').count()).toBe(0);
    // The keyboard goes on at the step before the one deleted, not at the page.
    expect(await focusedOnceNamed(page, 'Ask question step ask')).toBe('Ask question step ask');
    // Undo brings the step back with the links to it, selected and focused.
    const deleted = page.getByRole('status').filter({ hasText: 'Step thanks deleted.' });
    await deleted.getByRole('button', { name: 'Undo' }).click();
    await stepNode(page, 'Send message step thanks').waitFor();
    expect(await focusedOnceNamed(page, 'Send message step thanks')).toBe('Send message step thanks');
    expect(await page.getByRole('group', { name: 'From ask to thanks', exact: true }).count()).toBe(1);
    expect(await panel(page).getByLabel('Text', { exact: true }).inputValue()).toBe(FLOW[2].text);
    expect(await deleted.count()).toBe(0);
    await page.keyboard.press('Delete');
    await stepNode(page, 'Send message step thanks').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Version 4', { exact: true }).waitFor();
    expect((await workflowAt(id, 4)).steps).toEqual([FLOW[0], FLOW[1]]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a validation error on the step it names and in its panel; nothing is lost', async () => {
    const id = await workflowWithFlow('Invalid');
    const { page, problems, context } = await openEditor(id);
    await stepNode(page, 'Ask question step ask').click();
    await panel(page).getByLabel('Variable', { exact: true }).fill('1st name');
    await page.getByRole('button', { name: 'Save' }).click();

    await page.getByRole('alert').filter({ hasText: 'Not saved: the server found problems' }).waitFor();
    await expect(stepNode(page, 'Ask question step ask').textContent()).resolves.toContain('1 problem');
    await panel(page).getByText('variable must be 1 to 64 letters, digits or _, not starting with a digit').waitFor();
    const variable = panel(page).getByLabel('Variable', { exact: true });
    expect(await variable.getAttribute('aria-invalid')).toBe('true');
    expect(await variable.inputValue()).toBe('1st name');
    await page.getByText('Unsaved changes').waitFor();
    expect(await page.getByText('Version 2', { exact: true }).count()).toBe(1);
    expect(await stepNode(page, 'Send message step welcome').getAttribute('class')).not.toContain('has-problems');
    await expectNoSeriousAxeViolations(page);

    // Changed, the field's marks go at once; saved, the server agrees.
    await variable.fill('first_name');
    await page.getByRole('alert').filter({ hasText: 'you have changed everything it named since' }).waitFor();
    expect(await stepNode(page, 'Ask question step ask').textContent()).not.toContain('problem');
    expect(await variable.getAttribute('aria-invalid')).not.toBe('true');
    expect(await panel(page).getByText('variable must be 1 to 64 letters').count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Version 3', { exact: true }).waitFor();
    expect(await stepNode(page, 'Ask question step ask').textContent()).not.toContain('problem');
    expect((await workflowAt(id, 3)).steps[1]).toEqual({ ...FLOW[1], variable: 'first_name' });
    // Chromium's own line for the refused request; the page itself logs nothing.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('says why a new workflow cannot be saved with settings but no steps, marks a refused setting on its field; nothing is lost', async () => {
    const created = await app.api.request('POST', '/workflows', { body: { name: 'Nothing yet' } });
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin', `/workflows/${created.body.id}`));
    await page.getByText('No steps yet: add the first one from the palette.').waitFor();
    await page.getByLabel('Session timeout seconds (optional)').fill('600');
    await page.getByRole('button', { name: 'Save' }).click();

    const refusal = page.getByRole('alert').filter({ hasText: 'Not saved: the server found problems' });
    await refusal.getByText('steps must hold at least one step').waitFor();
    await page.getByText('Unsaved changes').waitFor();
    expect(await page.getByText('Version 1', { exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Session timeout seconds (optional)').inputValue()).toBe('600');

    // A setting the server refuses is marked on its field, as a step's are.
    const timeout = page.getByLabel('Session timeout seconds (optional)');
    await timeout.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    // Named in the banner as its field is labelled.
    await refusal.getByText('Session timeout seconds must be an integer from 1').waitFor();
    expect(await timeout.getAttribute('aria-invalid')).toBe('true');
    const description = await timeout.evaluate((input) =>
      (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' '),
    );
    expect(description).toContain('must be an integer from 1');
    // Tried as it is, it would end every conversation at once without a word: the panel says so.
    await page.getByRole('tab', { name: 'Try it' }).click();
    await page.getByText('This version has no steps yet: a conversation ends at once without a word to the customer.').waitFor();
    expect(problems).toEqual(
      Array(2).fill('console error: Failed to load resource: the server responded with a status of 400 (Bad Request)'),
    );
    await context.close();
  });

  it('says in words that someone else saved first and reloads the newest version', async () => {
    const id = await workflowWithFlow('Contended');
    const { page, problems, context } = await openEditor(id);
    const theirs = [{ ...FLOW[0], text: 'Their welcome' }, FLOW[1], FLOW[2]];
    const published = await app.api.request('PUT', `/workflows/${id}/definition`, {
      body: { steps: theirs, expectedVersion: 2 },
      token: app.api.token('admin', undefined, 'colleague'),
    });
    expect(published.body.version).toBe(3);

    await stepNode(page, 'Send message step welcome').click();
    await panel(page).getByLabel('Text', { exact: true }).fill('My welcome');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else saved version 3 of this workflow while you were editing' });
    await conflict.waitFor();
    // In words: no ids or server wording.
    expect(await conflict.textContent()).not.toContain(id);
    // Nothing lost: the edit is still there until the admin reloads.
    expect(await panel(page).getByLabel('Text', { exact: true }).inputValue()).toBe('My welcome');
    await expectNoSeriousAxeViolations(page);

    page.once('dialog', (dialog) => void dialog.accept());
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await page.getByText('Version 3', { exact: true }).waitFor();
    await expect(stepNode(page, 'Send message step welcome').textContent()).resolves.toContain('Their welcome');
    expect(await page.getByText('Unsaved changes').count()).toBe(0);
    expect((await workflowAt(id, 3)).steps).toEqual(theirs);
    // Chromium's own line for the refused request; the page itself logs nothing.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await context.close();
  });

  it('lists the versions with who published them, opens an old one read-only and restores it as a new version, not an empty one', async () => {
    const id = await workflowWithFlow('Versions');
    const changed = [{ ...FLOW[0], text: 'Newer welcome' }, FLOW[1]];
    await app.api.request('PUT', `/workflows/${id}/definition`, {
      body: { steps: changed, expectedVersion: 2 },
      token: app.api.token('admin', undefined, 'alice'),
    });
    await workflowAt(id, 3);
    const { page, problems, context } = await openEditor(id);
    await page.getByRole('tab', { name: 'Versions' }).click();
    const versions = page.getByRole('list', { name: 'Versions, newest first' }).getByRole('listitem');
    await versions.first().waitFor();
    expect(await versions.allTextContents()).toEqual([
      expect.stringMatching(/^Version 3Current.*Published by alice/),
      expect.stringMatching(/^Version 2.*Published by admin-user.*Open version 2$/),
      expect.stringMatching(/^Version 1.*Created by admin-user.*Open version 1$/),
    ]);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: 'Open version 2' }).click();
    await page.getByText('Viewing version 2 (read-only), published by admin-user.').waitFor();
    await expect(stepNode(page, 'Send message step welcome').textContent()).resolves.toContain('Welcome to Acme');
    await stepNode(page, 'Send message step thanks').click();
    expect(await panel(page).getByLabel('Text', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Add a step' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Restore version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 restored as version 4.' }).waitFor();
    await page.getByText('Version 4', { exact: true }).waitFor();
    expect((await workflowAt(id, 4)).steps).toEqual(FLOW);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await versions.filter({ hasText: 'Version 4' }).filter({ hasText: 'Current' }).waitFor();
    // The first version of a new workflow has no steps: it cannot be published again.
    await page.getByRole('button', { name: 'Open version 1' }).click();
    await page.getByText('It has no steps, so there is nothing to restore.').waitFor();
    expect(await page.getByRole('button', { name: /Restore/ }).count()).toBe(0);
    // The whole story of the workflow is a link away.
    await page.getByRole('link', { name: 'Every event of this workflow in the audit log' }).click();
    await page.waitForURL(`${app.url}/audit?workflow=${id}`);
    await page.getByText('Show at that time').first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('runs the flow in the Try it panel, a real web chat conversation; Restart, leaving and closing the tab end its session', async () => {
    const id = await workflowWithFlow('Try me');
    const { page, problems, context } = await openEditor(id);
    await page.getByRole('tab', { name: 'Try it' }).click();
    await page.getByText('Saved changes apply to new conversations only').waitFor();
    const chat = page.frameLocator('iframe[title="Try it"]');
    await chat.getByLabel('Message').fill('hello');
    await chat.getByRole('button', { name: 'Send' }).click();
    const log = chat.getByRole('log', { name: 'Conversation' });
    await log.getByText('Welcome to Acme').waitFor();
    await log.getByText('What is your name?').waitFor();
    await chat.getByLabel('Message').fill('Ann');
    await chat.getByRole('button', { name: 'Send' }).click();
    await log.getByText('Thanks Ann').waitFor();
    await expectNoSeriousAxeViolations(page);
    // A new session of the same conversation, left waiting on the question.
    await chat.getByLabel('Message').fill('hello again');
    await chat.getByRole('button', { name: 'Send' }).click();
    await eventually(activeSessions(id), (count) => count === 1);

    await page.getByRole('button', { name: 'Restart' }).click();
    await chat.getByLabel('Message').waitFor();
    expect(await chat.getByRole('log', { name: 'Conversation' }).getByText('Thanks Ann').count()).toBe(0);
    await eventually(activeSessions(id), (count) => count === 0);
    await chat.getByLabel('Message').fill('again');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByRole('log', { name: 'Conversation' }).getByText('What is your name?').waitFor();
    await eventually(activeSessions(id), (count) => count === 1);

    // Saved elsewhere after this page loaded version 2: the next conversation runs it, and the panel says what runs.
    expect((await app.api.request('PUT', `/workflows/${id}/definition`, { body: { steps: FLOW } })).body.version).toBe(3);
    await page.getByRole('button', { name: 'Restart' }).click();
    // Nothing runs before the first message, which takes the newest version then: nothing to warn of yet.
    await chat.getByLabel('Message').waitFor();
    expect(await page.getByText(/was saved (elsewhere|after)/).count()).toBe(0);
    await chat.getByLabel('Message').fill('hello, version 3');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByRole('log', { name: 'Conversation' }).getByText('What is your name?').waitFor();
    await page.getByText('Version 3 was saved elsewhere since this page loaded version 2').waitFor();
    await page.getByText('Runs version 3 as a customer sees it').waitFor();
    await page.getByRole('button', { name: 'Restart' }).click();
    await eventually(activeSessions(id), (count) => count === 0);

    await page.getByRole('tab', { name: 'Versions' }).click();
    await eventually(activeSessions(id), (count) => count === 0);

    // Closing the tab ends the conversation on screen too.
    await page.getByRole('tab', { name: 'Try it' }).click();
    await chat.getByLabel('Message').fill('one more');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByRole('log', { name: 'Conversation' }).getByText('What is your name?').waitFor();
    await eventually(activeSessions(id), (count) => count === 1);
    expect(problems).toEqual([]);
    await page.close();
    await eventually(activeSessions(id), (count) => count === 0);
    await context.close();
  });

  it('says so in Try it when the workflow was deleted elsewhere, instead of a chat nobody answers', async () => {
    const id = await workflowWithFlow('Deleted while tried');
    const { page, problems, context } = await openEditor(id);
    await page.getByRole('tab', { name: 'Try it' }).click();
    const chat = page.frameLocator('iframe[title="Try it"]');
    await chat.getByLabel('Message').waitFor();
    expect((await app.api.request('DELETE', `/workflows/${id}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Restart' }).click();
    await page.getByRole('alert').filter({ hasText: 'This workflow was deleted: there is nothing to try any more.' }).waitFor();
    expect(await page.locator('iframe[title="Try it"]').count()).toBe(0);
    expect(await page.getByText('as a customer sees it').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Restart' }).isDisabled()).toBe(true);
    expect(problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
    await context.close();
  });

  it('is read-only for an auditor: no palette, Save, Rename, Restore or Try it; fields disabled', async () => {
    const id = await workflowWithFlow('Audited');
    const { page, problems, context } = await openEditor(id, 'auditor');
    await page.getByText('Version 2', { exact: true }).waitFor();
    for (const name of ['Save', 'Rename']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Add a step' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Try it' }).count()).toBe(0);
    await stepNode(page, 'Ask question step ask').click();
    expect(await panel(page).getByLabel('Variable', { exact: true }).isDisabled()).toBe(true);
    expect(await panel(page).getByRole('button', { name: 'Delete step' }).count()).toBe(0);
    await page.keyboard.press('Delete');
    expect(await stepNode(page, 'Ask question step ask').count()).toBe(1);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Open version 1' }).click();
    await page.getByText('Viewing version 1 (read-only)').waitFor();
    expect(await page.getByRole('button', { name: /Restore/ }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the workflow does not exist, with a way back', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin', '/workflows/00000000-0000-4000-8000-000000000000'));
    await page.getByText('This workflow does not exist or was deleted').waitFor();
    await page.getByRole('link', { name: 'Back to Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    await expectNoSeriousAxeViolations(page);
    // Chromium's own line for the API's 404; the page itself logs nothing.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
    await context.close();
  });

  it('marks a step no path from the first one reaches, until a link leads to it', async () => {
    const created = await app.api.request('POST', '/workflows', { body: { name: 'Skipping' } });
    const id = created.body.id as string;
    await app.api.request('PUT', `/workflows/${id}/definition`, { body: { steps: [{ ...FLOW[0], next: 'thanks' }, FLOW[1], FLOW[2]] } });
    const { page, problems, context } = await openEditor(id);
    await stepNode(page, 'Ask question step ask').getByText('Not reached').waitFor();
    for (const other of ['Send message step welcome', 'Send message step thanks']) {
      expect(await stepNode(page, other).getByText('Not reached').count()).toBe(0);
    }
    await expectNoSeriousAxeViolations(page);
    // Back to the following step by default: now it runs.
    await stepNode(page, 'Send message step welcome').click();
    await panel(page).getByLabel('Next (optional)', { exact: true }).selectOption({ label: '— default —' });
    await stepNode(page, 'Ask question step ask').getByText('Not reached').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a branch: its rule from the generated form, its else by a connection the panel says it sets', async () => {
    const id = await workflowWithFlow('Branching');
    const { page, problems, context } = await openEditor(id);
    await stepNode(page, 'Ask question step ask').click();
    await page.getByRole('button', { name: 'Add Branch' }).click();
    await stepNode(page, 'Branch step branch_1').waitFor();
    const rule = panel(page).getByRole('group', { name: 'Branch 1' });
    await rule.getByLabel('Variable', { exact: true }).fill('name');
    // The value is asked for as the operator needs it.
    await rule.getByLabel('Op', { exact: true }).selectOption({ label: 'Equals' });
    await rule.getByLabel('Value', { exact: true }).waitFor();
    await rule.getByLabel('Op', { exact: true }).selectOption({ label: 'Has a value' });
    await rule.getByLabel('Value (optional)', { exact: true }).waitFor();
    await rule.getByLabel('Next', { exact: true }).selectOption('thanks');
    await page.getByRole('group', { name: 'From branch_1 to thanks (name exists)', exact: true }).waitFor();

    await panel(page).getByLabel('A connection dragged from this step sets').selectOption({ label: 'Else next' });
    const from = await settledBox(stepNode(page, 'Branch step branch_1').locator('.react-flow__handle.source'));
    const to = await settledBox(stepNode(page, 'Send message step welcome').locator('.react-flow__handle.target'));
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
    await page.getByRole('group', { name: 'From branch_1 to welcome (else)', exact: true }).waitFor();
    expect(await panel(page).getByLabel('Else next', { exact: true }).inputValue()).toBe('welcome');
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Version 3', { exact: true }).waitFor();
    expect((await workflowAt(id, 3)).steps).toEqual([
      FLOW[0],
      FLOW[1],
      {
        id: 'branch_1',
        type: 'branch',
        branches: [{ condition: { variable: 'name', op: 'exists' }, next: 'thanks' }],
        elseNext: 'welcome',
      },
      FLOW[2],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('renames the workflow, and asks before leaving with unsaved changes', async () => {
    const id = await workflowWithFlow('Old name');
    const { page, problems, context } = await openEditor(id);
    await page.getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename workflow' });
    await dialog.getByLabel('Name').fill('   ');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    // The same words as Add New and Copy.
    await dialog.getByText('Name is required').waitFor();
    await dialog.getByLabel('Name').fill('New name');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'New name', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Renamed to “New name”.' }).waitFor();
    await eventually(
      async () => (await app.api.request('GET', `/workflows/${id}`)).body.name,
      (name) => name === 'New name',
    );

    await stepNode(page, 'Send message step welcome').click();
    await panel(page).getByLabel('Text', { exact: true }).fill('Not saved yet');
    page.once('dialog', (confirm) => void confirm.dismiss());
    await page.getByRole('link', { name: 'Back to Workflows' }).click();
    expect(page.url()).toBe(`${app.url}/workflows/${id}`);
    expect(await panel(page).getByLabel('Text', { exact: true }).inputValue()).toBe('Not saved yet');
    page.once('dialog', (confirm) => void confirm.accept());
    await page.getByRole('link', { name: 'Back to Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
    // What the user agreed to lose stays lost when the editor is opened again.
    await page.goto(`${app.url}/workflows/${id}`);
    await stepNode(page, 'Send message step welcome').click();
    expect(await panel(page).getByLabel('Text', { exact: true }).inputValue()).toBe('Welcome to Acme');
    expect(await page.getByText('Your unsaved changes from before are back').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps unsaved edits over a reload or a sign-in that ran out, until they are saved', async () => {
    const id = await workflowWithFlow('Kept edits');
    const { page, problems, context } = await openEditor(id);
    await stepNode(page, 'Send message step welcome').click();
    await panel(page).getByLabel('Text', { exact: true }).fill('Edited before the reload');
    await page.getByText('Unsaved changes').waitFor();
    page.once('dialog', (confirm) => void confirm.accept());
    await page.reload();
    await page.getByText('Your unsaved changes from before are back: save them, or go on editing.').waitFor();
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
    await expect(stepNode(page, 'Send message step welcome').textContent()).resolves.toContain('Edited before the reload');

    // Signed out, as a refused token does (the page shows sign-in), then in again: the edits are there.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(app.signInLink('admin', `/workflows/${id}`));
    await page.getByText('Your unsaved changes from before are back: save them, or go on editing.').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 3.' }).waitFor();
    expect((await workflowAt(id, 3)).steps[0].text).toBe('Edited before the reload');

    await page.reload();
    await page.getByText('Version 3', { exact: true }).waitFor();
    expect(await page.getByText('Your unsaved changes from before are back').count()).toBe(0);
    expect(await page.getByText('Unsaved changes', { exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
