import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, eventsOfType } from './support/conversations.js';
import { GraphApiStandIn, postWebhook, whatsAppButtonReply, whatsAppText } from './support/graph-api-stand-in.js';
import { newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

const flow = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}!' },
  { id: 'ask', type: 'ask_question', text: 'Order number?', variable: 'order', answerType: 'number' },
  { id: 'thanks', type: 'send_message', text: 'Looking into {{order}}' },
];

describe('WhatsApp delivery across a kill -9, and the secrets', () => {
  const dataDir = temporaryDataDir();
  const graph = new GraphApiStandIn();
  afterAll(async () => {
    await graph.stop();
    removeDir(dataDir);
  });

  it('delivers a message whose retry was pending when the server died exactly once, and never writes a secret anywhere', async () => {
    const graphUrl = await graph.start();
    const secret = newSecret();
    const secrets = { accessToken: `EAAG${randomUUID()}`, appSecret: `appsecret${randomUUID()}`, verifyToken: `verify${randomUUID()}` };
    const customer = '16505550199';

    const first = await spawnServer(dataDir, secret);
    const workflow = await first.api.request('POST', '/workflows', { body: { name: 'Orders' } });
    await first.api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: flow } });
    const channel = await first.api.request('POST', '/channels', {
      body: { type: 'whatsapp', name: 'Support line', config: { phoneNumberId: '106540352242922', ...secrets, apiBaseUrl: graphUrl } },
    });
    const channelId = channel.body.id as string;
    await first.api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });
    const listed = await first.api.request('GET', `/channels?consistentWith=${channel.body.position}`);
    expect(JSON.stringify(listed.body)).not.toMatch(/EAAG|appsecret|verify/);

    graph.answerNext({ status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } });
    expect(
      await postWebhook(
        first.api,
        'whatsapp',
        channelId,
        whatsAppText(customer, 'Ada', `wamid.${randomUUID()}`, 'Hello'),
        secrets.appSecret,
      ),
    ).toBe(200);
    await eventually(
      async () => eventsOfType(dataDir, 'MessageDeliveryAttemptFailed'),
      (events) => events.length === 1,
    );
    // The retry is due in a second: the server dies before it.
    first.process.kill('SIGKILL');
    await first.exited;
    expect(graph.textsTo(customer)).toEqual(['Hi Ada!']);

    const second = await spawnServer(dataDir, secret);
    try {
      expect(
        await eventually(
          async () => graph.textsTo(customer),
          (texts) => texts.length === 3,
          15_000,
        ),
      ).toEqual(['Hi Ada!', 'Hi Ada!', 'Order number?']);
      await postWebhook(
        second.api,
        'whatsapp',
        channelId,
        whatsAppButtonReply(customer, `wamid.${randomUUID()}`, '42', '42'),
        secrets.appSecret,
      );
      await eventually(
        async () => graph.textsTo(customer),
        (texts) => texts.length === 4,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(graph.textsTo(customer)).toEqual(['Hi Ada!', 'Hi Ada!', 'Order number?', 'Looking into 42']);
      const delivered = eventsOfType(dataDir, 'MessageDelivered');
      expect(delivered).toHaveLength(3);
      expect(new Set(delivered.map((event) => event.messageId)).size).toBe(3);
      expect(graph.requests.every((request) => request.authorization === `Bearer ${secrets.accessToken}`)).toBe(true);

      // Every byte the servers stored, and every line they logged, is free of the channel's secrets.
      const logs = first.output() + second.output();
      const stored = readdirSync(dataDir)
        .filter((file) => file.startsWith('events.sqlite') || file.startsWith('read-models.sqlite'))
        .map((file) => readFileSync(join(dataDir, file)).toString('latin1'))
        .join('\n');
      expect(stored.length).toBeGreaterThan(0);
      expect(logs).toContain('Serving');
      for (const value of Object.values(secrets)) {
        expect(stored.includes(value)).toBe(false);
        expect(logs.includes(value)).toBe(false);
      }
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }
  }, 60_000);
});
