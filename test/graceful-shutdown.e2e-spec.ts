import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from '@jest/globals';
import { TOPIC_CHOICE_FLOW, Visitor, eventually, flowOnWebchat } from './support/conversations.js';
import { GraphApiStandIn, postWebhook, whatsAppText } from './support/graph-api-stand-in.js';
import { type Api, newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

interface Answer {
  status: number;
  body: string;
}

/** The whole answer to `request`, read to its end. */
const answerOf = (request: ClientRequest) =>
  new Promise<Answer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.once('error', reject);
    });
  });

/**
 * A request the server has accepted and is reading when the signal comes: its headers and the
 * first half of its body are sent now, the rest once `finish` is called (a slow upload, the way
 * a request is in flight at a deploy).
 */
const slowUpload = (api: Api, method: string, path: string, body: unknown, token: string | null) => {
  const payload = Buffer.from(JSON.stringify(body));
  const url = new URL(path, api.baseUrl);
  const request = httpRequest(url, {
    method,
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': payload.length,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
  });
  const answer = answerOf(request);
  const half = Math.floor(payload.length / 2);
  const sent = new Promise<void>((resolve) => request.write(payload.subarray(0, half), () => resolve()));
  return { sent, answer, finish: () => request.end(payload.subarray(half)) };
};

/** A GET whose answer the server holds back (a long poll or an event stream), read to its end. */
const heldGet = (api: Api, path: string, token: string | null) => {
  const request = httpRequest(new URL(path, api.baseUrl), {
    agent: false,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const answer = answerOf(request);
  const sent = new Promise<void>((resolve) => request.end(() => resolve()));
  return { sent, answer };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('answers every request in flight at SIGTERM, ends the streams, exits 0 and keeps everything it acknowledged', async () => {
    const dataDir = temporaryDataDir();
    dirs.push(dataDir);
    const secret = newSecret();
    const server = await spawnServer(dataDir, secret);
    const { api } = server;
    const token = api.token();
    const { channelId } = await flowOnWebchat(api, TOPIC_CHOICE_FLOW);
    // A channel with no flow never replies: its long polls wait until the server ends them.
    const quiet = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Quiet chat' } });
    const quietVisitor = new Visitor(api, quiet.body.id as string);
    const waiting = await quietVisitor.say('anyone there?');

    const workflows = Array.from({ length: 40 }, (_, i) => slowUpload(api, 'POST', '/workflows', { name: `In flight ${i}` }, token));
    const messages = Array.from({ length: 40 }, (_, i) =>
      slowUpload(api, 'POST', `/webchat/${channelId}/messages`, { contactId: `leaving-${i}`, text: `hello ${i}` }, null),
    );
    const longPolls = Array.from({ length: 18 }, () =>
      heldGet(
        api,
        `/webchat/${quiet.body.id}/contacts/${quietVisitor.contactId}/messages?waitFor=${waiting.messageId}&waitSeconds=25`,
        null,
      ),
    );
    const streams = Array.from({ length: 2 }, () => heldGet(api, '/workflows/live', token));
    const inFlight = [...workflows, ...messages, ...longPolls, ...streams];
    expect(inFlight).toHaveLength(100);
    await Promise.all(inFlight.map(({ sent }) => sent));
    // Every connection is accepted and every request under way before the signal.
    await pause(500);

    const signalled = Date.now();
    server.process.kill('SIGTERM');
    await pause(200);
    for (const upload of [...workflows, ...messages]) upload.finish();

    const answers = await Promise.all(inFlight.map(({ answer }) => answer));
    expect(answers.slice(0, 40).map(({ status }) => status)).toEqual(Array(40).fill(201));
    expect(answers.slice(40, 80).map(({ status }) => status)).toEqual(Array(40).fill(202));
    // Long polls answer with what there is (no reply) instead of waiting out their 25 s.
    for (const poll of answers.slice(80, 98)) {
      expect(poll.status).toBe(200);
      expect(JSON.parse(poll.body).items).toEqual([]);
    }
    // The event streams end cleanly, after the cards they had.
    for (const stream of answers.slice(98)) {
      expect(stream.status).toBe(200);
      expect(stream.body).toContain('event: card');
    }
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.output()).toContain('SIGTERM: finishing the requests');

    const restarted = await spawnServer(dataDir, secret);
    try {
      for (const { body } of answers.slice(0, 40)) {
        const { id, name } = JSON.parse(body) as { id: string; name: string };
        const read = await restarted.api.request('GET', `/workflows/${id}`);
        expect([read.status, read.body.name]).toEqual([200, name]);
      }
      const received = (await restarted.api.request('GET', '/audit/events?type=MessageReceived&limit=1000')).body.items as {
        data: { messageId: string };
      }[];
      const stored = new Set(received.map(({ data }) => data.messageId));
      for (const { body } of answers.slice(40, 80)) expect(stored.has((JSON.parse(body) as { messageId: string }).messageId)).toBe(true);
      // And answered after the restart: recorded while the server stopped, after its session saga no
      // longer listened, none may be taken as reacted to.
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) => new Visitor(restarted.api, channelId, `leaving-${i}`).awaitReplies(1, 20_000)),
      );
      expect(replies.every((texts) => texts.length >= 1)).toBe(true);
    } finally {
      restarted.process.kill('SIGTERM');
      expect(await restarted.exited).toBe(0);
    }
  }, 90_000);

  it('reacts after a restart to every message it acknowledged but had not reacted to at SIGTERM', async () => {
    const dataDir = temporaryDataDir();
    dirs.push(dataDir);
    const secret = newSecret();
    const graph = new GraphApiStandIn();
    const graphUrl = await graph.start();
    const server = await spawnServer(dataDir, secret);
    const { api } = server;
    try {
      const appSecret = `app-${randomUUID()}`;
      const workflow = await api.request('POST', '/workflows', { body: { name: 'Batch' } });
      await api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: TOPIC_CHOICE_FLOW } });
      const config = {
        phoneNumberId: '106540352242922',
        accessToken: 'EAAG-token',
        appSecret,
        verifyToken: 'verify',
        apiBaseUrl: graphUrl,
      };
      const channelId = (await api.request('POST', '/channels', { body: { type: 'whatsapp', name: 'WhatsApp', config } })).body
        .id as string;
      await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });
      // One delivery of 300 customers' messages: the engine has them all to react to at once.
      const customers = Array.from({ length: 300 }, (_, n) => `49151${String(n).padStart(8, '0')}`);
      const delivery = whatsAppText(customers[0], 'C', 'wamid.batch-0', 'hi') as { entry: { changes: { value: object }[] }[] };
      Object.assign(delivery.entry[0].changes[0].value, {
        contacts: customers.map((id) => ({ profile: { name: 'C' }, wa_id: id })),
        messages: customers.map((from, n) => ({
          from,
          id: `wamid.batch-${n}`,
          timestamp: '1603059201',
          text: { body: 'hi' },
          type: 'text',
        })),
      });
      expect(await postWebhook(api, 'whatsapp', channelId, delivery, appSecret)).toBe(200);
      // A request in flight keeps the server stopping for a while, its engine with work left.
      const held = slowUpload(api, 'POST', '/workflows', { name: 'Slow' }, api.token());
      await held.sent;
      await pause(300);
      server.process.kill('SIGTERM');
      await pause(2000);
      held.finish();
      expect((await held.answer).status).toBe(201);
      expect(await server.exited).toBe(0);

      const restarted = await spawnServer(dataDir, secret);
      try {
        const routed = async () =>
          (await restarted.api.request('GET', '/audit/events?type=MessageRoutedToSession&limit=1000')).body.items.length as number;
        expect(await eventually(routed, (count) => count >= 300, 30_000)).toBe(300);
      } finally {
        restarted.process.kill('SIGTERM');
        expect(await restarted.exited).toBe(0);
      }
    } finally {
      server.process.kill('SIGKILL');
      await graph.stop();
    }
  }, 90_000);

  it('exits 1 once SHUTDOWN_TIMEOUT_MS is up when a request never finishes', async () => {
    const dataDir = temporaryDataDir();
    dirs.push(dataDir);
    const server = await spawnServer(dataDir, newSecret(), { SHUTDOWN_TIMEOUT_MS: '1000' });
    const stuck = slowUpload(server.api, 'POST', '/workflows', { name: 'Never sent in full' }, server.api.token());
    stuck.answer.catch(() => undefined);
    await stuck.sent;
    await pause(300);
    const signalled = Date.now();
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(1000);
    expect(server.output()).toContain('Shutdown did not finish within 1000 ms');
  });

  it('leaves no server behind when `npm start` gets SIGTERM', async () => {
    const dataDir = temporaryDataDir();
    dirs.push(dataDir);
    const probe = await spawnServer(dataDir, newSecret());
    const port = new URL(probe.api.baseUrl).port;
    probe.process.kill('SIGTERM');
    await probe.exited;

    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: port, DATA_DIR: dataDir, LOG_LEVEL: 'log' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const health = () => fetch(`http://127.0.0.1:${port}/health`).then(({ status }) => status);
    for (let attempt = 0; (await health().catch(() => 0)) !== 200; attempt++) {
      if (attempt > 400) throw new Error(`npm start did not serve:\n${output}`);
      await pause(50);
    }
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(health()).rejects.toThrow();
  }, 60_000);
});
