import { describe, expect, it } from '@jest/globals';
import type { OutboundChoice, OutboundMessage } from '../channel-adapter.port.js';
import {
  type Answer,
  type RecordedRequest,
  jsonAnswer,
  refusingBaseUrl,
  textAnswer,
  useLoopbackServer,
} from '../http/loopback-server.fixture.js';
import { textWithNumberedChoices } from '../outbound-text.js';
import { WhatsAppClient, whatsAppMessageBody, type WhatsAppSendConfig } from './whatsapp-outbound.js';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAtestTokenZBx7Yq2';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '16505551234';
const SENT_WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQ0QkZBQkY3QjlGMzE3NDAA';
const HI: OutboundMessage = { to: CUSTOMER, text: 'Hi' };

const accepted = (wamid = SENT_WAMID): Answer =>
  jsonAnswer(200, {
    messaging_product: 'whatsapp',
    contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
    messages: [{ id: wamid }],
  });

const graphError = (status: number, error: Record<string, unknown>): Answer =>
  jsonAnswer(status, { error: { type: 'OAuthException', fbtrace_id: 'AazMpA9yYhHLKgV1Ek4Bm5n', ...error } });

const choicesNamed = (count: number): OutboundChoice[] =>
  Array.from({ length: count }, (_, index) => ({ label: `Option ${index + 1}`, value: `option-${index + 1}` }));

/** The envelope every Cloud API message body starts with. */
const toCustomer = { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER };

describe('WhatsAppClient', () => {
  const server = useLoopbackServer();

  const config = (overrides: Partial<WhatsAppSendConfig> = {}): WhatsAppSendConfig => ({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: ACCESS_TOKEN,
    apiBaseUrl: server.baseUrl,
    apiVersion: 'v21.0',
    timeoutMs: 5000,
    ...overrides,
  });
  const client = (overrides: Partial<WhatsAppSendConfig> = {}) => new WhatsAppClient(config(overrides));

  const sendAndRecord = async (message: OutboundMessage): Promise<RecordedRequest> => {
    server.answer = accepted();
    await expect(client().send(message)).resolves.toEqual({ kind: 'delivered', providerMessageId: SENT_WAMID });
    expect(server.requests).toHaveLength(1);
    return server.requests[0];
  };

  describe('request', () => {
    it('posts a text message to /{version}/{phone-number-id}/messages with the bearer token', async () => {
      const request = await sendAndRecord({ to: CUSTOMER, text: 'Your order has shipped.' });

      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual({ ...toCustomer, type: 'text', text: { body: 'Your order has shipped.' } });
    });

    it('ignores trailing slashes of the base URL', async () => {
      server.answer = accepted();

      await client({ apiBaseUrl: `${server.baseUrl}//`, apiVersion: 'v20.0' }).send(HI);

      expect(server.requests[0].path).toBe(`/v20.0/${PHONE_NUMBER_ID}/messages`);
    });

    it('sends two choices as reply buttons whose ids are the values', async () => {
      const request = await sendAndRecord({
        to: CUSTOMER,
        text: 'Shall we deliver tomorrow?',
        choices: [
          { label: 'Yes', value: 'confirm-delivery' },
          { label: 'No', value: 'decline-delivery' },
        ],
      });

      expect(request.body).toEqual({
        ...toCustomer,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Shall we deliver tomorrow?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'confirm-delivery', title: 'Yes' } },
              { type: 'reply', reply: { id: 'decline-delivery', title: 'No' } },
            ],
          },
        },
      });
    });

    it('sends five choices as a list with one section', async () => {
      const request = await sendAndRecord({ to: CUSTOMER, text: 'Pick a time slot.', choices: choicesNamed(5) });

      expect(request.body).toEqual({
        ...toCustomer,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Pick a time slot.' },
          action: {
            button: 'Choose',
            sections: [
              {
                title: 'Options',
                rows: [
                  { id: 'option-1', title: 'Option 1' },
                  { id: 'option-2', title: 'Option 2' },
                  { id: 'option-3', title: 'Option 3' },
                  { id: 'option-4', title: 'Option 4' },
                  { id: 'option-5', title: 'Option 5' },
                ],
              },
            ],
          },
        },
      });
    });

    it('writes twelve choices out as numbered lines of a text message', async () => {
      const request = await sendAndRecord({ to: CUSTOMER, text: 'Which store?', choices: choicesNamed(12) });

      const lines = Array.from({ length: 12 }, (_, index) => `${index + 1}. Option ${index + 1}`);
      expect(request.body).toEqual({ ...toCustomer, type: 'text', text: { body: `Which store?\n\n${lines.join('\n')}` } });
    });

    it('cuts button titles to 20 and list row titles to 24 characters, keeping the values whole', async () => {
      const label = 'Deliver to the neighbour next door';
      const value = 'deliver-to-neighbour-with-a-long-value';

      const buttons = await sendAndRecord({ to: CUSTOMER, text: 'Where?', choices: [{ label, value }] });
      server.requests.length = 0;
      const list = await sendAndRecord({ to: CUSTOMER, text: 'Where?', choices: [{ label, value }, ...choicesNamed(3)] });

      expect(buttons.body).toMatchObject({
        interactive: { action: { buttons: [{ type: 'reply', reply: { id: value, title: 'Deliver to the neigh' } }] } },
      });
      expect(list.body).toMatchObject({
        interactive: {
          action: {
            sections: [
              {
                rows: [
                  { id: value, title: 'Deliver to the neighbour' },
                  { id: 'option-1', title: 'Option 1' },
                  { id: 'option-2', title: 'Option 2' },
                  { id: 'option-3', title: 'Option 3' },
                ],
              },
            ],
          },
        },
      });
    });
  });

  describe('outcomes', () => {
    it('is delivered with the wamid of messages[0]', async () => {
      server.answer = accepted('wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJGQjc1NzE4QzdCMjY0NDk2NjgA');

      await expect(client().send(HI)).resolves.toEqual({
        kind: 'delivered',
        providerMessageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJGQjc1NzE4QzdCMjY0NDk2NjgA',
      });
    });

    it.each([
      ['no messages', { messaging_product: 'whatsapp', contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }] }],
      ['an empty messages list', { messaging_product: 'whatsapp', messages: [] }],
      ['a message without id', { messaging_product: 'whatsapp', messages: [{}] }],
    ])('is retryable when a 200 carries %s', async (_, payload) => {
      server.answer = jsonAnswer(200, payload);

      await expect(client().send(HI)).resolves.toEqual({
        kind: 'retryable',
        status: 200,
        error: 'the WhatsApp Cloud API answered HTTP 200 without a message id (messages[0].id)',
      });
    });

    it.each([
      [
        'rejected on a 400',
        400,
        {
          message: '(#131030) Recipient phone number not in allowed list',
          code: 131030,
          error_data: { messaging_product: 'whatsapp', details: 'Recipient phone number not in allowed list' },
        },
        { kind: 'rejected', status: 400, error: '(#131030) Recipient phone number not in allowed list (code 131030)' },
      ],
      [
        'retryable on a 500',
        500,
        { message: 'An unknown error has occurred.', code: 1, type: 'OAuthException' },
        { kind: 'retryable', status: 500, error: 'An unknown error has occurred. (code 1)' },
      ],
    ])('is %s with the Graph API error message and code', async (_, status, error, outcome) => {
      server.answer = graphError(status, error);

      await expect(client().send(HI)).resolves.toEqual(outcome);
    });

    it.each([
      ['rejected', 404, textAnswer(404, 'Not Found')],
      ['retryable', 503, textAnswer(503, '<html>Service Unavailable</html>', 'text/html')],
    ])('is %s with only the status when a %i body is not a Graph API error', async (kind, status, answer) => {
      server.answer = answer;

      await expect(client().send(HI)).resolves.toEqual({ kind, status, error: `the WhatsApp Cloud API answered HTTP ${status}` });
    });

    it('keeps the access token out of a rejection that echoes it', async () => {
      server.answer = graphError(401, {
        message: `Malformed access token ${ACCESS_TOKEN}`,
        code: 190,
        error_subcode: 463,
      });

      const outcome = await client().send(HI);

      expect(outcome).toEqual({ kind: 'rejected', status: 401, error: 'Malformed access token *** (code 190)' });
      expect(JSON.stringify(outcome)).not.toContain(ACCESS_TOKEN);
    });

    it('cuts a long error message to 300 characters and keeps the code', async () => {
      server.answer = graphError(400, { message: 'x'.repeat(1000), code: 100 });

      const outcome = await client().send(HI);

      const error = outcome.kind === 'rejected' ? outcome.error : '';
      expect(outcome.kind).toBe('rejected');
      expect(error.match(/x/g)).toHaveLength(300);
      expect(error.endsWith('… (code 100)')).toBe(true);
    });

    it('is retryable without status after the timeout when the server never answers', async () => {
      server.answer = server.hold;
      const startedAt = Date.now();

      const outcome = await client({ timeoutMs: 200 }).send(HI);

      expect(outcome).toEqual({ kind: 'retryable', error: 'the WhatsApp Cloud API did not answer within 200 ms' });
      expect(Date.now() - startedAt).toBeLessThan(3000);
    });

    it('is retryable without status when the connection is refused', async () => {
      const outcome = await client({ apiBaseUrl: await refusingBaseUrl() }).send(HI);

      expect(outcome).toEqual({
        kind: 'retryable',
        error: expect.stringMatching(/^the WhatsApp Cloud API could not be reached: .*ECONNREFUSED/),
      });
    });

    it('turns an exception from fetch itself into a retryable outcome without the token', async () => {
      const throwingFetch: typeof fetch = () => {
        throw new Error(`refused to send with ${ACCESS_TOKEN}`);
      };

      const outcome = await new WhatsAppClient(config(), throwingFetch).send(HI);

      expect(outcome).toEqual({
        kind: 'retryable',
        error: 'the WhatsApp Cloud API could not be reached: refused to send with ***',
      });
    });
  });
});

describe('whatsAppMessageBody', () => {
  const typeOf = (count: number) => {
    const body = whatsAppMessageBody({ to: CUSTOMER, text: 'Pick one', choices: choicesNamed(count) }) as {
      type: string;
      interactive?: { type: string };
    };
    return body.interactive ? `interactive/${body.interactive.type}` : body.type;
  };

  it('uses buttons up to three choices, a list up to ten and text beyond', () => {
    expect([0, 1, 3, 4, 10, 11].map(typeOf)).toEqual([
      'text',
      'interactive/button',
      'interactive/button',
      'interactive/list',
      'interactive/list',
      'text',
    ]);
  });

  it('cuts a text body to 4096; a question longer than an interactive body (1024) goes out whole, as text with numbered choices', () => {
    const long = 'a'.repeat(5000);
    expect(whatsAppMessageBody({ to: CUSTOMER, text: long })).toMatchObject({ text: { body: 'a'.repeat(4096) } });

    const question = `${'a'.repeat(1100)} END?`;
    for (const count of [2, 5]) {
      expect(whatsAppMessageBody({ to: CUSTOMER, text: question, choices: choicesNamed(count) })).toEqual({
        ...toCustomer,
        type: 'text',
        text: { body: textWithNumberedChoices(question, choicesNamed(count)) },
      });
    }
    const fits = 'a'.repeat(1024);
    expect(whatsAppMessageBody({ to: CUSTOMER, text: fits, choices: choicesNamed(2) })).toMatchObject({
      interactive: { body: { text: fits } },
    });
  });

  it('writes out as numbered lines choices whose labels look alike once cut to a title, and cuts no title to a trailing space', () => {
    const alike = [
      { label: 'Extra small size for kids', value: 'kids' },
      { label: 'Extra small size for adults', value: 'adults' },
    ];
    expect(whatsAppMessageBody({ to: CUSTOMER, text: 'Which?', choices: alike })).toEqual({
      ...toCustomer,
      type: 'text',
      text: { body: textWithNumberedChoices('Which?', alike) },
    });
    const spaced = [{ label: 'Premium plan yearly billing', value: 'yearly' }];
    expect(whatsAppMessageBody({ to: CUSTOMER, text: 'Plan?', choices: spaced })).toMatchObject({
      interactive: { action: { buttons: [{ reply: { id: 'yearly', title: 'Premium plan yearly' } }] } },
    });
  });

  it('cuts titles between characters, never inside an emoji', () => {
    const label = `${'b'.repeat(19)}🚚 express`;

    expect(whatsAppMessageBody({ to: CUSTOMER, text: 'How?', choices: [{ label, value: 'express' }] })).toMatchObject({
      interactive: { action: { buttons: [{ reply: { id: 'express', title: `${'b'.repeat(19)}🚚` } }] } },
    });
  });
});
