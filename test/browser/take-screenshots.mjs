// Writes the README's screenshots (docs/screenshots/*.png): the built server on a scratch data
// directory, a few workflows with live sessions, the editor and the widget, in Debian's Chromium.
// Run with `npm run screenshots` (it builds first).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { signJwt } from '../../dist/libs/platform/src/auth/jwt.js';

const OUT = resolve('docs/screenshots');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const freePort = () =>
  new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });

const secret = randomBytes(32).toString('base64url');
const dataDir = mkdtempSync(join(tmpdir(), 'workflows-screenshots-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['dist/apps/server/src/main.js'], {
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, AUTH_SECRET: secret, LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const token = await signJwt({ sub: 'maria', role: 'admin' }, secret, 3600);

const call = async (method, path, body, auth = true) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
};

try {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await call('GET', '/health', undefined, false);
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  console.log('seeding workflows, channels and conversations');
  const flows = {
    'Order status': [
      { id: 'welcome', type: 'send_message', text: 'Hi! I can help with your order.' },
      {
        id: 'order',
        type: 'ask_question',
        text: 'What is your order number?',
        variable: 'order',
        answerType: 'number',
        retryText: 'Please send digits only.',
      },
      {
        id: 'topic',
        type: 'ask_question',
        text: 'What do you need?',
        variable: 'topic',
        answerType: 'choice',
        options: [
          { label: 'Where is it?', value: 'where' },
          { label: 'Return it', value: 'return', next: 'returns' },
        ],
      },
      { id: 'tracking', type: 'send_message', text: 'Order {{order}} ships tomorrow.', next: 'done' },
      { id: 'returns', type: 'route_to_team', team: 'returns', note: 'Return for order {{order}}' },
      { id: 'done', type: 'end' },
    ],
    'Lead qualification': [
      { id: 'ask_email', type: 'ask_question', text: 'Your work email?', variable: 'email', answerType: 'email' },
      { id: 'size', type: 'ask_question', text: 'How many people are on your team?', variable: 'size', answerType: 'number' },
      {
        id: 'route',
        type: 'branch',
        branches: [{ condition: { variable: 'size', op: 'gt', value: 50 }, next: 'sales' }],
        elseNext: 'thanks',
      },
      { id: 'sales', type: 'route_to_team', team: 'sales' },
      { id: 'thanks', type: 'send_message', text: 'Thanks! We will be in touch.' },
    ],
    'After-hours greeting': [{ id: 'hello', type: 'send_message', text: 'We are closed now and will answer in the morning.' }],
  };
  const ids = {};
  for (const [name, steps] of Object.entries(flows)) {
    const created = await call('POST', '/workflows', { name });
    await call('PUT', `/workflows/${created.id}/definition`, { steps });
    ids[name] = created.id;
  }
  await call('POST', '/workflows', { name: 'Holiday campaign (draft)' });
  const channel = await call('POST', '/channels', { type: 'webchat', name: 'Website chat' });
  await call('PUT', `/channels/${channel.id}/workflow`, { workflowId: ids['Order status'] });
  for (const contact of ['ada', 'grace', 'linus']) {
    await call('POST', `/webchat/${channel.id}/messages`, { contactId: `visitor-${contact}`, contactName: contact, text: 'Hello' }, false);
  }

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/?token=${token}`);
  await page.getByText('3 active sessions').waitFor();
  await page.screenshot({ path: join(OUT, 'workflows-page.png') });
  console.log('workflows-page.png');

  await page.goto(`${base}/workflows/${ids['Order status']}`);
  await page.getByText('Version 2').first().waitFor();
  await page.getByText('What is your order number?').first().click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'workflow-editor.png') });
  console.log('workflow-editor.png');

  const widget = await browser.newPage({ viewport: { width: 420, height: 640 } });
  await widget.goto(`${base}/chat/${channel.id}`);
  await widget.getByLabel('Message').fill('Hi there');
  await widget.getByRole('button', { name: 'Send' }).click();
  await widget.getByText('What is your order number?').waitFor();
  await widget.getByLabel('Message').fill('1042');
  await widget.getByRole('button', { name: 'Send' }).click();
  await widget.getByRole('button', { name: 'Where is it?' }).waitFor();
  await widget.screenshot({ path: join(OUT, 'web-chat-widget.png') });
  console.log('web-chat-widget.png');
  await browser.close();
} finally {
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
