import { describe, expect, it } from '@jest/globals';
import { jsonAnswer, refusingBaseUrl, textAnswer, useLoopbackServer } from '../http/loopback-server.fixture.js';
import { type ApiChannelCallback, ApiChannelCallbackClient } from './api-channel-callback.client.js';
import { apiChannelSignature } from './api-channel-signature.js';

const SECRET = 'the-channel-secret-0123456789abcdef';
const NOW = new Date('2026-12-02T01:00:00Z');

const callback: ApiChannelCallback = {
  messageId: 'b3f2c1d0-0000-4000-8000-000000000001',
  contactId: 'telegram:42',
  text: 'Pick one',
  choices: [{ label: 'Yes', value: 'yes' }],
  sessionId: 'session-1',
  workflowId: 'workflow-1',
};

describe('ApiChannelCallbackClient', () => {
  const server = useLoopbackServer();
  const client = (callbackUrl = `${server.baseUrl}/hooks/bot?tenant=1`, timeoutMs = 2000) =>
    new ApiChannelCallbackClient({ callbackUrl, secret: SECRET, timeoutMs }, fetch, () => NOW);

  it('POSTs the message as JSON to the callback URL, signed over the timestamp and the raw body', async () => {
    server.answer = jsonAnswer(200, {});

    await expect(client().send(callback)).resolves.toEqual({ kind: 'delivered', providerMessageId: callback.messageId });

    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/bot?tenant=1', body: callback });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-timestamp']).toBe('1796173200');
    expect(request.headers['x-signature-256']).toBe(apiChannelSignature(1796173200, JSON.stringify(callback), SECRET));
    expect(JSON.stringify(request.headers)).not.toContain(SECRET);
  });

  it('takes any 2xx, with or without a body, as delivered', async () => {
    server.answer = textAnswer(204, '');

    await expect(client().send(callback)).resolves.toMatchObject({ kind: 'delivered' });
  });

  it('takes a 4xx as refused for good', async () => {
    server.answer = jsonAnswer(400, { error: 'unknown contact' });

    await expect(client().send(callback)).resolves.toEqual({ kind: 'rejected', status: 400, error: 'the callback answered HTTP 400' });
  });

  it('tries a 5xx and a redirect that is not followed again', async () => {
    server.answer = jsonAnswer(503, {});
    await expect(client().send(callback)).resolves.toEqual({ kind: 'retryable', status: 503, error: 'the callback answered HTTP 503' });

    server.answer = textAnswer(304, '');
    await expect(client().send(callback)).resolves.toMatchObject({ kind: 'retryable', status: 304 });
  });

  it('tries again when the callback cannot be reached or does not answer in time', async () => {
    await expect(client(`${await refusingBaseUrl()}/hooks`).send(callback)).resolves.toMatchObject({ kind: 'retryable' });

    server.answer = server.hold;
    const outcome = await client(`${server.baseUrl}/hooks`, 200).send(callback);
    expect(outcome).toEqual({ kind: 'retryable', error: 'the callback did not answer within 200 ms' });
  });
});
