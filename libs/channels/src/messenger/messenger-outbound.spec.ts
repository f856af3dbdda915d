import { describe, expect, it } from '@jest/globals';
import type { OutboundMessage } from '../channel-adapter.port.js';
import { jsonAnswer, refusingBaseUrl, textAnswer, useLoopbackServer } from '../http/loopback-server.fixture.js';
import { textWithNumberedChoices } from '../outbound-text.js';
import { type MessengerSendConfig, MessengerClient, messengerMessageBody } from './messenger-outbound.js';

const PAGE_ACCESS_TOKEN = 'EAAtestPageToken7c1d9e04b2a6';
const PSID = '1254459154682919';
const SENT_MID = 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P';
const OPENING_HOURS: OutboundMessage = { to: PSID, text: 'We open at 9.' };

const sent = jsonAnswer(200, { recipient_id: PSID, message_id: SENT_MID });

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

  it('writes out as numbered lines choices whose labels look alike once cut to a title', () => {
    const choices = [
      { label: 'Extra small size for kids', value: 'kids' },
      { label: 'Extra small size for adults', value: 'adults' },
    ];
    expect(messengerMessageBody({ to: PSID, text: 'Which?', choices })).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { text: textWithNumberedChoices('Which?', choices) },
    });
  });
});

describe('MessengerClient', () => {
  const server = useLoopbackServer();

  const config = (overrides: Partial<MessengerSendConfig> = {}): MessengerSendConfig => ({
    pageAccessToken: PAGE_ACCESS_TOKEN,
    apiBaseUrl: server.baseUrl,
    apiVersion: 'v21.0',
    timeoutMs: 5000,
    ...overrides,
  });
  const client = (overrides: Partial<MessengerSendConfig> = {}) => new MessengerClient(config(overrides));

  describe('request', () => {
    it('posts a text message to /{version}/me/messages with the page token as bearer', async () => {
      server.answer = sent;

      await client().send(OPENING_HOURS);

      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
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
      server.answer = sent;

      await client({ apiBaseUrl: `${server.baseUrl}//` }).send(OPENING_HOURS);

      expect(server.requests[0].path).toBe('/v21.0/me/messages');
    });

    it('sends choices as text quick replies with titles cut to 20 characters', async () => {
      server.answer = sent;

      await client().send({
        to: PSID,
        text: 'What can we help with?',
        choices: [
          { label: 'Opening hours', value: 'HOURS' },
          { label: 'Talk to a person from the team', value: 'HANDOFF' },
        ],
      });

      expect(server.requests[0].body).toEqual({
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
      server.answer = sent;

      await client().send({ to: PSID, text: 'x'.repeat(2500) });

      expect(server.requests[0].body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'x'.repeat(2000) },
      });
    });

    it('lists 14 choices as numbered lines in the text, without quick replies', async () => {
      server.answer = sent;
      const choices = Array.from({ length: 14 }, (_, index) => ({ label: `Branch ${index + 1}`, value: `BRANCH_${index + 1}` }));

      await client().send({ to: PSID, text: 'Which branch?', choices });

      const expectedList = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
      expect(server.requests[0].body).toEqual({
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: `Which branch?\n\n${expectedList}` },
      });
      expect(expectedList.split('\n')[13]).toBe('14. Branch 14');
    });
  });

  describe('outcomes', () => {
    it('is delivered with the message_id Meta answers', async () => {
      server.answer = sent;

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'delivered',
        providerMessageId: SENT_MID,
      });
    });

    it.each([
      ['without message_id', jsonAnswer(200, { recipient_id: PSID })],
      ['with a body that is not JSON', textAnswer(200, '{"recipient_id":')],
    ])('is retryable for a 200 %s', async (_, reply) => {
      server.answer = reply;

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'retryable',
        status: 200,
        error: 'the Messenger Send API answered HTTP 200 without a message_id',
      });
    });

    it("is rejected on a 400 with Meta's error message and code", async () => {
      server.answer = jsonAnswer(400, {
        error: {
          message: '(#100) No matching user found',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2018001,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      });

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'rejected',
        status: 400,
        error: '(#100) No matching user found (code 100)',
      });
    });

    it('is rejected with the status only when a 4xx body is not a Graph error', async () => {
      server.answer = textAnswer(404, '<html>Not Found</html>', 'text/html');

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'rejected',
        status: 404,
        error: 'the Messenger Send API answered HTTP 404',
      });
    });

    it('cuts a long error message to 300 characters and keeps the code', async () => {
      server.answer = jsonAnswer(400, { error: { message: 'x'.repeat(1000), code: 100 } });

      const outcome = await client().send(OPENING_HOURS);

      expect(outcome.kind).toBe('rejected');
      const error = outcome.kind === 'rejected' ? outcome.error : '';
      expect(error.match(/x/g)).toHaveLength(300);
      expect(error.endsWith('… (code 100)')).toBe(true);
    });

    it('keeps the page token out of the error when a 401 echoes it back', async () => {
      server.answer = jsonAnswer(401, {
        error: {
          message: `Invalid OAuth access token - Cannot parse access token ${PAGE_ACCESS_TOKEN}`,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      });

      const outcome = await client().send(OPENING_HOURS);

      expect(outcome).toEqual({
        kind: 'rejected',
        status: 401,
        error: 'Invalid OAuth access token - Cannot parse access token *** (code 190)',
      });
      expect(JSON.stringify(outcome)).not.toContain(PAGE_ACCESS_TOKEN);
    });

    it("is retryable on a 500 with Meta's error message", async () => {
      server.answer = jsonAnswer(500, {
        error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2 },
      });

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'retryable',
        status: 500,
        error: 'An unexpected error has occurred. Please retry your request later. (code 2)',
      });
    });

    it('is retryable on a 503 without a Graph error body', async () => {
      server.answer = textAnswer(503, 'Service Unavailable');

      await expect(client().send(OPENING_HOURS)).resolves.toEqual({
        kind: 'retryable',
        status: 503,
        error: 'the Messenger Send API answered HTTP 503',
      });
    });

    it('is retryable after the timeout when the server never answers', async () => {
      server.answer = server.hold;
      const startedAt = Date.now();

      const outcome = await client({ timeoutMs: 200 }).send(OPENING_HOURS);

      expect(outcome).toEqual({ kind: 'retryable', error: 'the Messenger Send API did not answer within 200 ms' });
      expect(Date.now() - startedAt).toBeLessThan(3000);
    });

    it('is retryable after the timeout when the body stops half way', async () => {
      server.answer = server.bodyStoppingAfter('{"recipient_id":');

      await expect(client({ timeoutMs: 200 }).send(OPENING_HOURS)).resolves.toEqual({
        kind: 'retryable',
        error: 'the Messenger Send API did not answer within 200 ms',
      });
    });

    it('is retryable when the connection is refused', async () => {
      const outcome = await client({ apiBaseUrl: await refusingBaseUrl() }).send(OPENING_HOURS);

      expect(outcome.kind).toBe('retryable');
      expect(outcome).not.toHaveProperty('status');
      expect(outcome.kind === 'retryable' ? outcome.error : '').toMatch(/^the Messenger Send API could not be reached: .*ECONNREFUSED/);
    });

    it('turns an exception from fetch itself into a retryable outcome without the token', async () => {
      const throwingFetch: typeof fetch = () => {
        throw new Error(`refused to send with ${PAGE_ACCESS_TOKEN}`);
      };

      const outcome = await new MessengerClient(config(), throwingFetch).send(OPENING_HOURS);

      expect(outcome).toEqual({ kind: 'retryable', error: 'the Messenger Send API could not be reached: refused to send with ***' });
    });
  });
});
