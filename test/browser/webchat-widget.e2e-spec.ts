import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FrameLocator, Locator, Page, Route } from 'playwright-core';
import { Visitor, eventually, flowOnWebchat } from '../support/conversations.js';
import { chromiumForSuite, expectNoSeriousAxeViolations, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';
import { rateLimitsWith } from '../support/rate-limits.js';

/** Greets, asks with choices, then says one thing at once and one after a durable wait: a message nobody's send waits for. */
const ORDER_FLOW = [
  { id: 'hello', type: 'send_message', text: 'Hi! I take orders.' },
  {
    id: 'size',
    type: 'ask_question',
    text: 'Which size?',
    variable: 'size',
    answerType: 'choice',
    options: [{ label: 'Small' }, { label: 'Large' }],
  },
  { id: 'noted', type: 'send_message', text: 'Noted: {{size}}.' },
  { id: 'pause', type: 'wait', seconds: 1 },
  { id: 'ready', type: 'send_message', text: 'Your {{size}} order is ready.' },
];

/** Answers each message at once and says nothing later: a long poll after its answer waits its whole time. */
const GREETING_FLOW = [{ id: 'hello', type: 'send_message', text: 'Hello!' }];

/** The widget as the customer sees it, on the page itself or in the embed script's frame. */
const widget = (scope: Page | FrameLocator) => ({
  log: scope.getByRole('log', { name: 'Conversation' }),
  message: scope.getByRole('textbox', { name: 'Message' }),
  send: scope.getByRole('button', { name: 'Send' }),
});

/** Chromium reports every failed request in the console; these are the ones a test provokes: an HTTP status or a network error. */
const unexpected = (problems: string[], expected: number | `net::${string}`) =>
  problems.filter(
    (problem) => !problem.includes(typeof expected === 'number' ? `the server responded with a status of ${expected}` : expected),
  );

const directionOf = (locator: Locator) => locator.evaluate((element) => getComputedStyle(element).direction);

describe('the web chat widget in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();
  let channelId: string;

  beforeAll(async () => {
    ({ channelId } = await flowOnWebchat(app.api, ORDER_FLOW, { name: 'Orders' }));
  });

  it('answers without a reload, offers the choices as buttons, shows a later message, and keeps the transcript over a reload', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/chat/${channelId}`);
    const chat = widget(page);
    await chat.log.getByText('Send a message to start the conversation.').waitFor();
    await expectNoSeriousAxeViolations(page);

    await chat.message.fill('Hello there');
    await chat.message.press('Enter');
    await expect(chat.message.inputValue()).resolves.toBe('');
    await chat.log.locator('.from-visitor').getByText('Hello there').waitFor();
    await chat.log.locator('.from-bot').getByText('Hi! I take orders.').waitFor();
    await chat.log.getByText('Which size?').waitFor();
    expect(await chat.log.locator('.from-bot time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: 'Large' }).click();
    await chat.log.locator('.from-visitor').getByText('Large', { exact: true }).waitFor();
    await chat.log.getByText('Noted: Large.').waitFor();
    // After the wait step's timer: no send of the customer's asks for it, the open long poll brings it.
    await chat.log.getByText('Your Large order is ready.').waitFor();
    expect(await page.getByRole('button', { name: 'Small' }).count()).toBe(0);

    const contactId = await page.evaluate((key) => localStorage.getItem(key), `webchat.contact.${channelId}`);
    expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
    const transcript = await app.api.request('GET', `/webchat/${channelId}/contacts/${contactId}/messages`, { token: null });
    expect(transcript.body.items.map((message: { text: string }) => message.text)).toEqual([
      'Hello there',
      'Hi! I take orders.',
      'Which size?',
      'Large',
      'Noted: Large.',
      'Your Large order is ready.',
    ]);

    await page.reload();
    await chat.log.getByText('Your Large order is ready.').waitFor();
    expect(await chat.log.getByRole('listitem').allInnerTexts()).toHaveLength(6);
    expect(await page.evaluate((key) => localStorage.getItem(key), `webchat.contact.${channelId}`)).toBe(contactId);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('uses the contact id of the address when given, for a fresh conversation', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    const contactId = `try-${randomUUID()}`;
    await page.goto(`${app.url}/chat/${channelId}?contact=${contactId}`);
    const chat = widget(page);
    await chat.message.fill('Hi');
    await chat.send.click();
    await chat.log.getByText('Which size?').waitFor();
    const transcript = await app.api.request('GET', `/webchat/${channelId}/contacts/${contactId}/messages`, { token: null });
    expect(transcript.body.items[0].text).toBe('Hi');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps a message that could not be sent in the box, with the reason', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/chat/${channelId}?contact=refused-${randomUUID()}`);
    const chat = widget(page);
    await chat.log.getByText('Send a message to start the conversation.').waitFor();
    await page.route(`**/webchat/${channelId}/messages`, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ message: 'The service is restarting' }) }),
    );
    await chat.message.fill('Are you there?');
    await chat.send.click();
    await page.getByRole('alert').filter({ hasText: 'Your message was not sent: The service is restarting' }).waitFor();
    expect(await chat.message.inputValue()).toBe('Are you there?');
    await page.unroute(`**/webchat/${channelId}/messages`);
    await chat.send.click();
    await chat.log.getByText('Which size?').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(unexpected(problems, 503)).toEqual([]);
    await context.close();
  });

  it('opens on the newest page of a long conversation and shows the earlier messages on demand', async () => {
    const channel = await app.api.request('POST', '/channels', { body: { type: 'webchat', name: 'Unanswered chat' } });
    const visitor = new Visitor(app.api, channel.body.id);
    for (let count = 1; count <= 60; count += 1) await visitor.say(`Message ${count}`);
    await eventually(
      () => visitor.transcript(),
      (messages) => messages.at(-1)?.text === 'Message 60',
    );
    const { page, problems, context } = await openTab(chromium.browser);
    let answerFirstPage!: () => void;
    const firstPageAnswered = new Promise<void>((resolve) => (answerFirstPage = resolve));
    await page.route(`**/contacts/${visitor.contactId}/messages*`, async (route) => {
      await firstPageAnswered;
      await route.continue();
    });
    await page.goto(`${app.url}/chat/${visitor.channelId}?contact=${visitor.contactId}`);
    const chat = widget(page);
    // No live log is there to fill while the history loads: it comes with the first page, not read out message by message.
    await page.getByText('Loading the conversation…').waitFor();
    expect(await page.getByRole('log').count()).toBe(0);
    answerFirstPage();
    await chat.log.getByText('Message 60', { exact: true }).waitFor();
    expect(await chat.log.getByRole('listitem').count()).toBe(50);
    expect(await chat.log.getByText('Message 10', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Show earlier messages' }).press('Enter');
    await chat.log.getByText('Message 1', { exact: true }).waitFor();
    expect(await chat.log.getByRole('listitem').count()).toBe(60);
    expect((await chat.log.getByRole('listitem').first().innerText()).startsWith('Message 1\n')).toBe(true);
    expect(await page.getByRole('button', { name: 'Show earlier messages' }).count()).toBe(0);
    // The button is gone: the focus is on the oldest message, where reading on goes through what was added.
    await expect(page.evaluate(() => document.activeElement?.closest('[role="log"] li')?.textContent)).resolves.toMatch(/^Message 1You/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lays out each message and the message box right to left or left to right, as their own text goes', async () => {
    const visitor = new Visitor(app.api, channelId);
    await visitor.say('مرحبا، هل أنتم هناك؟');
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/chat/${channelId}?contact=${visitor.contactId}`);
    const chat = widget(page);
    await expect(directionOf(chat.log.getByText('مرحبا، هل أنتم هناك؟'))).resolves.toBe('rtl');
    await expect(directionOf(chat.log.getByText('Hi! I take orders.'))).resolves.toBe('ltr');
    await chat.message.fill('שלום, מה שלומכם?');
    await expect(directionOf(chat.message)).resolves.toBe('rtl');
    await chat.message.fill('Hello!');
    await expect(directionOf(chat.message)).resolves.toBe('ltr');
    expect(problems).toEqual([]);
    await context.close();
  });

  describe('when the server cannot be reached for a while', () => {
    let greetingChannel: string;

    beforeAll(async () => {
      ({ channelId: greetingChannel } = await flowOnWebchat(app.api, GREETING_FLOW, { name: 'Greetings' }));
    });

    /**
     * A conversation whose reads fail as `fail` says from the second answer on: the long poll open
     * when it starts brings that answer, the one after it is refused.
     */
    const conversationLosingTheServer = async (fail: (route: Route) => Promise<void>) => {
      const tab = await openTab(chromium.browser);
      const { page } = tab;
      await page.goto(`${app.url}/chat/${greetingChannel}`);
      const chat = widget(page);
      await chat.message.fill('Hi');
      await chat.message.press('Enter');
      await chat.log.locator('.from-bot').waitFor();
      const reads = `**/webchat/${greetingChannel}/contacts/**`;
      await page.route(reads, fail);
      await chat.message.fill('Still there?');
      await chat.message.press('Enter');
      await chat.log.locator('.from-bot').nth(1).waitFor();
      const reconnecting = page.getByText(/^Reconnecting… \(/);
      await reconnecting.waitFor();
      return { ...tab, chat, reconnecting, serverBack: () => page.unroute(reads) };
    };

    it('stops saying "Reconnecting…" as soon as the server answers again', async () => {
      const { chat, reconnecting, serverBack, problems, context } = await conversationLosingTheServer((route) =>
        route.abort('connectionrefused'),
      );
      await expect(reconnecting.innerText()).resolves.toMatch(/The server cannot be reached/);
      await serverBack();
      // The next try, a second after the failure, answers at once: a long poll would only after its 25 s.
      await reconnecting.waitFor({ state: 'hidden', timeout: 4000 });
      await chat.message.fill('And now?');
      await chat.message.press('Enter');
      await chat.log.locator('.from-bot').nth(2).waitFor();
      expect(unexpected(problems, 'net::ERR_CONNECTION_REFUSED')).toEqual([]);
      await context.close();
    });

    it('stops saying "Reconnecting…" once a message is sent, and shows its answer without waiting for the next try', async () => {
      const { chat, reconnecting, serverBack, problems, context } = await conversationLosingTheServer((route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '60' },
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Too many requests' }),
        }),
      );
      await serverBack();
      await chat.message.fill('And now?');
      await chat.message.press('Enter');
      await reconnecting.waitFor({ state: 'hidden', timeout: 4000 });
      await chat.log.locator('.from-bot').nth(2).waitFor({ timeout: 4000 });
      expect(unexpected(problems, 429)).toEqual([]);
      await context.close();
    });
  });

  it('says an unknown channel is not available', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await page.goto(`${app.url}/chat/${randomUUID()}`);
    await page.getByRole('alert').filter({ hasText: 'This chat is not available' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    expect(unexpected(problems, 404)).toEqual([]);
    await context.close();
  });

  describe('embedded in a page of another site', () => {
    let shop: Server;
    let shopUrl: string;

    beforeAll(async () => {
      shop = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html><html lang="en"><head><title>Shop</title></head><body><main><h1>The shop</h1>` +
            `<script src="${app.url}/webchat.js" data-channel="${channelId}" async></script></main></body></html>`,
        );
      });
      await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
      // "localhost" and 127.0.0.1 are different sites, and the ports differ too.
      shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      shop.closeAllConnections();
      await new Promise((resolve) => shop.close(resolve));
    });

    it('serves the script uncached; its launcher opens the same widget, which works and keeps the conversation over visits', async () => {
      const script = await fetch(`${app.url}/webchat.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      expect(script.headers.get('cache-control')).toBe('no-cache');

      const { page, problems, context } = await openTab(chromium.browser);
      await page.goto(shopUrl);
      const launcher = page.getByRole('button', { name: 'Chat with us' });
      await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false');
      await launcher.press('Enter');
      const closer = page.getByRole('button', { name: 'Close chat' });
      await closer.waitFor();
      // The shop keeps the contact id: this browser's third-party frames may not keep anything.
      const contactId = await page.evaluate((key) => localStorage.getItem(key), `webchat.contact.${channelId}`);
      expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
      const frameElement = page.locator('iframe[title="Chat"]');
      expect(await frameElement.getAttribute('src')).toBe(`${app.url}/chat/${channelId}?contact=${contactId}`);
      const frame = page.frameLocator('iframe[title="Chat"]');
      const chat = widget(frame);
      // Opening puts the keyboard in the message box, once the chat has loaded.
      await eventually(
        () => chat.message.evaluate((element) => element === document.activeElement),
        (focused) => focused,
      );
      await page.keyboard.type('Hello from the shop');
      await page.keyboard.press('Enter');
      await chat.log.getByText('Which size?').waitFor();
      await frame.getByRole('button', { name: 'Small' }).click();
      await chat.log.getByText('Noted: Small.').waitFor();
      await expectNoSeriousAxeViolations(page);

      // Escape in the chat, or on its launcher, closes it and gives the launcher the focus.
      const launcherFocused = () => launcher.evaluate((element) => (element.getRootNode() as ShadowRoot).activeElement === element);
      await page.keyboard.press('Escape');
      await launcher.waitFor();
      await expect(frameElement.isVisible()).resolves.toBe(false);
      await expect(launcherFocused()).resolves.toBe(true);
      await launcher.press('Enter');
      await chat.log.getByText('Noted: Small.').waitFor();
      await eventually(
        () => chat.message.evaluate((element) => element === document.activeElement),
        (focused) => focused,
      );
      await closer.focus();
      await closer.press('Escape');
      await launcher.waitFor();
      await expect(launcherFocused()).resolves.toBe(true);

      await launcher.click();
      await closer.click();
      await expect(frameElement.isVisible()).resolves.toBe(false);
      await launcher.click();
      await chat.log.getByText('Noted: Small.').waitFor();

      await page.reload();
      await launcher.click();
      await chat.log.getByText('Hello from the shop').waitFor();
      const transcript = await app.api.request('GET', `/webchat/${channelId}/contacts/${contactId}/messages`, { token: null });
      expect(transcript.body.items[0].text).toBe('Hello from the shop');
      expect(problems).toEqual([]);
      await context.close();
    });
  });

  describe('on a server whose web chat limit for this address is reached', () => {
    const WINDOW_MS = 8000;
    const limited = consoleServerForSuite({ rateLimits: rateLimitsWith({ webchatAddress: { max: 3, windowMs: WINDOW_MS } }) });

    it('waits as long as the 429 says before asking again, says why meanwhile, then opens the conversation', async () => {
      const { channelId: limitedChannel } = await flowOnWebchat(limited.api, ORDER_FLOW, { name: 'Limited orders' });
      const transcriptPath = `/webchat/${limitedChannel}/contacts/`;
      // The tests' own requests come from the browser's address: three use up the window.
      for (let request = 0; request < 3; request++) {
        const read = await limited.api.request('GET', `${transcriptPath}someone-else/messages`, { token: null });
        expect(read.status).toBe(200);
      }
      const { page, problems, context } = await openTab(chromium.browser);
      const answers: { status: number; retryAfter: string | null; at: number }[] = [];
      const asked: number[] = [];
      page.on('request', (request) => {
        if (request.url().includes(transcriptPath)) asked.push(Date.now());
      });
      page.on('response', (response) => {
        if (response.url().includes(transcriptPath)) {
          answers.push({ status: response.status(), retryAfter: response.headers()['retry-after'] ?? null, at: Date.now() });
        }
      });
      await page.goto(`${limited.url}/chat/${limitedChannel}`);
      const chat = widget(page);
      await page.getByText(/Reconnecting… \(Too many web chat requests from this address; retry in \d+ s\)/).waitFor();
      await chat.log.getByText('Send a message to start the conversation.').waitFor({ timeout: WINDOW_MS + 5000 });

      const [refused, ...later] = answers;
      expect(refused.status).toBe(429);
      const retryAfterMs = Number(refused.retryAfter) * 1000;
      expect(retryAfterMs).toBeGreaterThan(1000);
      // Backing off alone would have asked again after 1 s, and been refused again.
      expect(later.map(({ status }) => status)).toEqual([200]);
      expect(asked).toHaveLength(2);
      expect(asked[1] - refused.at).toBeGreaterThanOrEqual(retryAfterMs - 100);
      expect(unexpected(problems, 429)).toEqual([]);
      await context.close();
    });
  });
});
