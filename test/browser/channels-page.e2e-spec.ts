import { describe, expect, it } from '@jest/globals';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

interface ListedChannel {
  id: string;
  type: string;
  name: string;
  workflowId: string | null;
}

const SECRETS = { accessToken: 'EAAG-access-token-1', appSecret: 'app-secret-2', verifyToken: 'verify-token-3' };

describe('the Channels page in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  const listed = async (): Promise<{ items: ListedChannel[]; text: string }> => {
    const response = await app.api.request('GET', '/channels');
    return { items: response.body.items, text: JSON.stringify(response.body) };
  };

  it('creates web chat and WhatsApp channels, assigns and unassigns a workflow, shows the webhook URL and the embed snippet', async () => {
    const workflow = await app.api.request('POST', '/workflows', { body: { name: 'Order flow' } });
    const workflowId = workflow.body.id as string;
    // Names need not be unique: the select tells the two apart.
    expect((await app.api.request('POST', '/workflows', { body: { name: 'Order flow' } })).status).toBe(201);
    const goneId = (await app.api.request('POST', '/workflows', { body: { name: 'Gone soon' } })).body.id as string;
    const { page, problems, context } = await openTab(chromium.browser);
    // Clipboard access, as a user who lets the site copy.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });

    await page.goto(app.signInLink('admin', '/channels'));
    await page.getByRole('heading', { name: 'Channels', level: 1 }).waitFor();
    await page.getByText('No channels yet').waitFor();
    await expectNoSeriousAxeViolations(page);

    // A web chat: only a name.
    await page.getByRole('button', { name: '+ New channel' }).click();
    let dialog = page.getByRole('dialog', { name: 'New channel' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Name is required').waitFor();
    await dialog.getByLabel('Name').fill('Site chat');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Web chat channel “Site chat” created.' }).waitFor();
    const siteChat = page.getByRole('article', { name: 'Site chat' });
    await siteChat.waitFor();

    // WhatsApp: its own fields; the secrets are password fields.
    await page.getByRole('button', { name: '+ New channel' }).click();
    dialog = page.getByRole('dialog', { name: 'New channel' });
    // What is typed for one type is not kept for another, where it would sit unseen behind dots.
    await dialog.getByLabel('Type').selectOption({ label: 'Messenger' });
    await dialog.getByLabel('App secret').fill('typed for Messenger');
    await dialog.getByLabel('Type').selectOption({ label: 'WhatsApp' });
    expect(await dialog.getByLabel('App secret').inputValue()).toBe('');
    for (const secret of ['Access token', 'App secret', 'Verify token']) {
      expect(await dialog.getByLabel(secret).getAttribute('type')).toBe('password');
    }
    expect(await dialog.getByLabel('Phone number ID').getAttribute('type')).toBe('text');
    await dialog.getByLabel('Name').fill('Support WhatsApp');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Phone number ID is required').waitFor();
    await dialog.getByLabel('Phone number ID').fill('not-a-number');
    await dialog.getByLabel('Access token').fill(SECRETS.accessToken);
    await dialog.getByLabel('App secret').fill(SECRETS.appSecret);
    await dialog.getByLabel('Verify token').fill(SECRETS.verifyToken);
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole('button', { name: 'Create' }).click();
    // The API's own words, under the field they name.
    await dialog.getByText('config.phoneNumberId must be a numeric id').waitFor();
    expect(await dialog.getByLabel('Phone number ID').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Phone number ID').fill('1234567890');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const whatsapp = page.getByRole('article', { name: 'Support WhatsApp' });
    await whatsapp.waitFor();

    const { items, text } = await listed();
    const byName = new Map(items.map((channel) => [channel.name, channel]));
    expect(byName.get('Site chat')).toMatchObject({ type: 'webchat', workflowId: null });
    expect(byName.get('Support WhatsApp')).toMatchObject({ type: 'whatsapp', workflowId: null });
    expect(items).toHaveLength(2);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    const siteChatId = byName.get('Site chat')!.id;
    const whatsappId = byName.get('Support WhatsApp')!.id;
    expect(await page.content()).not.toContain(SECRETS.accessToken);

    // Meta's webhook URL to paste, copyable.
    await whatsapp.getByText(`${app.url}/webhooks/whatsapp/${whatsappId}`, { exact: true }).waitFor();
    await whatsapp.getByRole('button', { name: 'Copy' }).click();
    await whatsapp.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${app.url}/webhooks/whatsapp/${whatsappId}`);

    // The web chat's page and embed snippet.
    const snippet = `<script src="${app.url}/webchat.js" data-channel="${siteChatId}" async></script>`;
    expect(await siteChat.getByRole('link', { name: `${app.url}/chat/${siteChatId}` }).getAttribute('href')).toBe(
      `${app.url}/chat/${siteChatId}`,
    );
    await siteChat.getByText(snippet, { exact: true }).waitFor();
    await siteChat.getByRole('button', { name: 'Copy' }).click();
    await siteChat.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    // Assign a workflow, then take it away.
    const orderFlows = await siteChat
      .getByLabel('Workflow')
      .locator('option')
      .evaluateAll((options) =>
        options.filter((option) => option.textContent?.startsWith('Order flow')).map((option) => option.textContent),
      );
    expect(orderFlows).toEqual([
      expect.stringMatching(/^Order flow \(created .+\)$/),
      expect.stringMatching(/^Order flow \(created .+\)$/),
    ]);
    expect(new Set(orderFlows).size).toBe(2);
    await siteChat.getByLabel('Workflow').selectOption(workflowId);
    await siteChat.getByRole('button', { name: 'Assign' }).click();
    await siteChat.getByText('Runs Order flow.').waitFor();
    expect((await listed()).items.find(({ id }) => id === siteChatId)?.workflowId).toBe(workflowId);
    await expectNoSeriousAxeViolations(page);
    await siteChat.getByRole('button', { name: 'Unassign' }).click();
    await siteChat.getByText('No workflow: messages on this channel start no conversation flow.').waitFor();
    expect((await listed()).items.find(({ id }) => id === siteChatId)?.workflowId).toBeNull();

    // A workflow deleted since the page listed it: said by its name, and offered no more.
    expect((await app.api.request('DELETE', `/workflows/${goneId}`)).status).toBe(200);
    await siteChat.getByLabel('Workflow').selectOption(goneId);
    await siteChat.getByRole('button', { name: 'Assign' }).click();
    await siteChat.getByRole('alert').filter({ hasText: '“Gone soon” was deleted meanwhile: choose another workflow.' }).waitFor();
    expect(await siteChat.getByLabel('Workflow').locator(`option[value="${goneId}"]`).count()).toBe(0);

    // What was made is there after a reload.
    await page.reload();
    await page.getByRole('article', { name: 'Support WhatsApp' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(2);
    // Chromium logs the API's 400 for the refused phone number id and its 404 for the deleted workflow: the errors this test provokes.
    expect(problems.filter((problem) => !/the server responded with a status of (400|404)/.test(problem))).toEqual([]);
    await context.close();
  });

  it('offers every workflow of a workspace with more than one page of them, and names the one a channel runs', async () => {
    // The oldest of 1,001 is on the list's second page (newest first, at most 1,000 a page).
    const workspace = 'many-flows';
    const token = (part: number) => app.api.token('admin', workspace, `seeder-${part}`);
    const oldest = await app.api.request('POST', '/workflows', { body: { name: 'Oldest flow' }, token: token(0) });
    for (let part = 0; part < 4; part++) {
      // Four tokens: one token's requests are limited per minute.
      await Promise.all(
        Array.from({ length: 250 }, (_, index) =>
          app.api.request('POST', '/workflows', { body: { name: `Flow ${part * 250 + index + 1}` }, token: token(part + 1) }),
        ),
      );
    }
    const channel = await app.api.request('POST', '/channels', { body: { type: 'webchat', name: 'Busy chat' }, token: token(5) });
    const assigned = await app.api.request('PUT', `/channels/${channel.body.id}/workflow`, {
      body: { workflowId: oldest.body.id },
      token: token(5),
    });
    expect(assigned.status).toBe(200);

    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/channels?token=${token(6)}`);
    const busy = page.getByRole('article', { name: 'Busy chat' });
    await busy.getByText('Runs Oldest flow.').waitFor();
    const workflow = busy.getByLabel('Workflow');
    expect(await workflow.locator('option').count()).toBe(1 + 1001);
    await workflow.selectOption({ label: 'Flow 1' });
    await busy.getByRole('button', { name: 'Assign', exact: true }).click();
    await busy.getByText('Runs Flow 1.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a workflow's Try it preview as such, with nothing to assign or embed", async () => {
    const workflow = await app.api.request('POST', '/workflows', { body: { name: 'Previewed' } });
    await app.api.request('PUT', `/workflows/${workflow.body.id}/definition`, {
      body: { steps: [{ id: 'hi', type: 'send_message', text: 'Hi' }] },
    });
    expect((await app.api.request('POST', `/workflows/${workflow.body.id}/try-it`)).status).toBe(200);
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin', '/channels'));
    const preview = page.getByRole('article', { name: 'Try it: Previewed' });
    await preview.getByText("It is the workflow's Try it preview, made by its editor: it runs that workflow only.").waitFor();
    await preview.getByRole('link', { name: 'Previewed' }).waitFor();
    expect(await preview.getByRole('combobox').count()).toBe(0);
    expect(await preview.getByRole('button', { name: /Assign|Unassign/ }).count()).toBe(0);
    expect(await preview.getByText('Embed it on any site').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows an API channel, made through the API, with the route its adapter posts to and no Meta webhook', async () => {
    const created = await app.api.request('POST', '/channels', {
      body: { type: 'api', name: 'Shop adapter', config: { secret: 'shop-adapter-secret-0123456789abcdef' } },
    });
    expect(created.status).toBe(201);
    const channelId = created.body.id as string;
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(app.signInLink('admin', '/channels'));
    const channel = page.getByRole('article', { name: 'Shop adapter' });
    await channel.getByText(`${app.url}/channels/${channelId}/api/messages`, { exact: true }).waitFor();
    // Its type in words, as the others have theirs.
    expect(await channel.locator('.channel-type').textContent()).toBe('API');
    expect(await channel.getByText('/webhooks/').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });
});
