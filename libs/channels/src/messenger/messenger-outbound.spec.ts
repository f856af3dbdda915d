import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type MessengerSendConfig, MessengerClient, messengerMessageBody } from './messenger-outbound.js';

const PAGE_ACCESS_TOKEN = 'EAAtestPageToken7c1d9e04b2a6';
const PSID = '1254459154682919';
const SENT_MID = 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P';

interface RecordedRequest {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the loopback Graph API does with the next requests. */
type Answer = (response: ServerResponse) => void;

const json =
  (status: number, payload: unknown): Answer =>
  (response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload));
  };

const sent = json(200, { recipient_id: PSID, message_id: SENT_MID });

describe('messengerMessageBody', () => {
  it('is a RESPONSE text message to the PSID without quick replies when there are no choices', () => {
    expect(messengerMessageBody({ to: PSID, text: 'We open at 9.', choices: [] })).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { text: 'We open at 9.' },
    });
  });

  it('cuts the text to 2000 characters without splitting an emoji', () => {
    const body = messengerMessageBody({ to: PSID, text: `${'x'.repeat(1999)}😀😀` }) as { message: { text: string } };

    expect(body.message.text).toBe(`${'x'.repeat(1999)}😀`);
  });

  it('offers exactly 13 choices as quick replies', () => {
    const choices = Array.from({ length: 13 }, (_, index) => ({ label: `Option ${index + 1}`, value: `OPT_${index + 1}` }));

    const body = messengerMessageBody({ to: PSID, text: 'Pick one', choices }) as {
      message: { text: string; quick_replies: unknown[] };
    };

    expect(body.message.text).toBe('Pick one');
    expect(body.message.quick_replies).toHaveLength(13);
    expect(body.message.quick_replies[12]).toEqual({ content_type: 'text', title: 'Option 13', payload: 'OPT_13' });
  });
});

describe('MessengerClient', () => {
  let server: Server;
  let baseUrl: string;
  let answer: Answer;
  const requests: RecordedRequest[] = [];
  // Requests left unanswered on purpose; destroyed in afterAll so jest can exit.
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: request.method, path: request.url, headers: request.headers, body: JSON.parse(text) });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    requests.length = 0;
  });

  afterAll(async () => {
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const client = (config: Partial<MessengerSendConfig> = {}) =>
    new MessengerClient({
      pageAccessToken: PAGE_ACCESS_TOKEN,
      apiBaseUrl: baseUrl,
      apiVersion: 'v21.0',
      timeoutMs: 5000,
      ...config,
    });

  describe('request', () => {
    it('posts a text message to /{version}/me/messages with the page token as bearer', async () => {
      answer = sent;

      await client().send({ to: PSID, text: 'We open at 9.' });

      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v21.0/me/messages');
      expect(request.headers.authorization).toBe(`Bearer ${PAGE_ACCESS_TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'We open at 9.' },
      });
    });

    it('strips trailing slashes from the base URL', async () => {
      answer = sent;

      await client({ apiBaseUrl: `${baseUrl}//` }).send({ to: PSID, text: 'We open at 9.' });

      expect(requests[0].path).toBe('/v21.0/me/messages');
    });

    it('sends choices as text quick replies with titles cut to 20 characters', async () => {
      answer = sent;

      await client().send({
        to: PSID,
        text: 'What can we help with?',
        choices: [
          { label: 'Opening hours', value: 'HOURS' },
          { label: 'Talk to a person from the team', value: 'HANDOFF' },
        ],
      });

      expect(requests[0].body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: {
          text: 'What can we help with?',
          quick_replies: [
            { content_type: 'text', title: 'Opening hours', payload: 'HOURS' },
            { content_type: 'text', title: 'Talk to a person fro', payload: 'HANDOFF' },
          ],
        },
      });
    });

    it('cuts a long text to 2000 characters', async () => {
      answer = sent;

      await client().send({ to: PSID, text: 'x'.repeat(2500) });

      expect(requests[0].body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'x'.repeat(2000) },
      });
    });

    it('lists 14 choices as numbered lines in the text, without quick replies', async () => {
      answer = sent;
      const choices = Array.from({ length: 14 }, (_, index) => ({ label: `Branch ${index + 1}`, value: `BRANCH_${index + 1}` }));

      await client().send({ to: PSID, text: 'Which branch?', choices });

      const expectedList = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
      expect(requests[0].body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: `Which branch?\n\n${expectedList}` },
      });
      expect(expectedList.split('\n')[13]).toBe('14. Branch 14');
    });
  });

  describe('outcomes', () => {
    it('is delivered with the message_id Meta answers', async () => {
      answer = sent;

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'delivered',
        providerMessageId: SENT_MID,
      });
    });

    it.each([
      ['without message_id', json(200, { recipient_id: PSID })],
      ['with a body that is not JSON', (response: ServerResponse) => response.writeHead(200).end('{"recipient_id":')],
    ])('is retryable for a 200 %s', async (_, reply) => {
      answer = reply;

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'retryable',
        status: 200,
        error: 'the Messenger Send API answered HTTP 200 without a message_id',
      });
    });

    it("is rejected on a 400 with Meta's error message and code", async () => {
      answer = json(400, {
        error: {
          message: '(#100) No matching user found',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2018001,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      });

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'rejected',
        status: 400,
        error: '(#100) No matching user found (code 100)',
      });
    });

    it('is rejected with the status only when a 4xx body is not a Graph error', async () => {
      answer = (response) => response.writeHead(404, { 'Content-Type': 'text/html' }).end('<html>Not Found</html>');

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'rejected',
        status: 404,
        error: 'the Messenger Send API answered HTTP 404',
      });
    });

    it('cuts a long error message to 300 characters', async () => {
      answer = json(400, { error: { message: 'x'.repeat(1000), code: 100 } });

      const outcome = await client().send({ to: PSID, text: 'We open at 9.' });

      expect(outcome.kind).toBe('rejected');
      const error = outcome.kind === 'rejected' ? outcome.error : '';
      expect(error.match(/x/g)).toHaveLength(300);
      expect(error).not.toContain('code 100');
    });

    it('keeps the page token out of the error when a 401 echoes it back', async () => {
      answer = json(401, {
        error: {
          message: `Invalid OAuth access token - Cannot parse access token ${PAGE_ACCESS_TOKEN}`,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      });

      const outcome = await client().send({ to: PSID, text: 'We open at 9.' });

      expect(outcome).toEqual({
        kind: 'rejected',
        status: 401,
        error: 'Invalid OAuth access token - Cannot parse access token *** (code 190)',
      });
      expect(JSON.stringify(outcome)).not.toContain(PAGE_ACCESS_TOKEN);
    });

    it("is retryable on a 500 with Meta's error message", async () => {
      answer = json(500, {
        error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2 },
      });

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'retryable',
        status: 500,
        error: 'An unexpected error has occurred. Please retry your request later. (code 2)',
      });
    });

    it('is retryable on a 503 without a Graph error body', async () => {
      answer = (response) => response.writeHead(503).end('Service Unavailable');

      await expect(client().send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'retryable',
        status: 503,
        error: 'the Messenger Send API answered HTTP 503',
      });
    });

    it('is retryable after the timeout when the server never answers', async () => {
      answer = (response) => held.push(response);
      const startedAt = Date.now();

      const outcome = await client({ timeoutMs: 200 }).send({ to: PSID, text: 'We open at 9.' });

      expect(outcome).toEqual({ kind: 'retryable', error: 'the Messenger Send API did not answer within 200 ms' });
      expect(Date.now() - startedAt).toBeLessThan(3000);
    });

    it('is retryable after the timeout when the body stops half way', async () => {
      answer = (response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"recipient_id":');
        held.push(response);
      };

      await expect(client({ timeoutMs: 200 }).send({ to: PSID, text: 'We open at 9.' })).resolves.toEqual({
        kind: 'retryable',
        error: 'the Messenger Send API did not answer within 200 ms',
      });
    });

    it('is retryable when the connection is refused', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const outcome = await client({ apiBaseUrl: `http://127.0.0.1:${port}` }).send({ to: PSID, text: 'We open at 9.' });

      expect(outcome.kind).toBe('retryable');
      expect(outcome).not.toHaveProperty('status');
      expect(outcome.kind === 'retryable' ? outcome.error : '').toMatch(
        /^the Messenger Send API could not be reached: .*ECONNREFUSED/,
      );
    });

    it('turns an exception from fetch itself into a retryable outcome without the token', async () => {
      const throwingFetch: typeof fetch = () => {
        throw new Error(`refused to send with ${PAGE_ACCESS_TOKEN}`);
      };

      const outcome = await new MessengerClient(
        { pageAccessToken: PAGE_ACCESS_TOKEN, apiBaseUrl: baseUrl, apiVersion: 'v21.0', timeoutMs: 5000 },
        throwingFetch,
      ).send({ to: PSID, text: 'We open at 9.' });

      expect(outcome).toEqual({ kind: 'retryable', error: 'the Messenger Send API could not be reached: refused to send with ***' });
    });
  });
});
