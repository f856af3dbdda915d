import { describe, expect, it } from '@jest/globals';
import { parseWhatsAppWebhook } from './whatsapp-inbound.js';

const BUSINESS_ACCOUNT_ID = '102290129340398';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '16505551234';
const OTHER_CUSTOMER = '16505559876';
/** The channel's settings: its phone number. */
const CHANNEL = { phoneNumberId: PHONE_NUMBER_ID };

const WAMID_1 = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
const WAMID_2 = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTJDNTg0N0UwQjY2QjkxMjVFOQA=';
const WAMID_3 = 'wamid.HBgLMTY1MDU1NTk4NzYVAgASGBQzQUI3QkU0RDk5OEE1MTZCQjE4OQA=';
const SENT_WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQ0QkZBQkY3QjlGMzE3NDAA';

/** A webhook payload as the Cloud API posts it: one entry per value, each with one `messages` change holding it. */
const webhook = (...values: Record<string, unknown>[]) => ({
  object: 'whatsapp_business_account',
  entry: values.map((value) => ({
    id: BUSINESS_ACCOUNT_ID,
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
          ...value,
        },
      },
    ],
  })),
});

const contact = (name: string, waId = CUSTOMER) => ({ profile: { name }, wa_id: waId });

const textMessage = (id: string, body: string, from = CUSTOMER) => ({
  from,
  id,
  timestamp: '1603059201',
  text: { body },
  type: 'text',
});

/** A customer's answer to the message sent as SENT_WAMID, which it names as its `context`. */
const answerToSent = (type: string, content: Record<string, unknown>) => ({
  context: { from: '15550783881', id: SENT_WAMID },
  from: CUSTOMER,
  id: WAMID_1,
  timestamp: '1603059201',
  type,
  ...content,
});

/** A webhook payload with messages from CUSTOMER, whose profile name is 'Kerry Fisher'. */
const kerrySends = (...messages: unknown[]) => webhook({ contacts: [contact('Kerry Fisher')], messages });

/** The item for a message from CUSTOMER, named after the contact 'Kerry Fisher'. */
const messageFromKerry = (messageId: string, text: string) => ({
  kind: 'message',
  contactId: CUSTOMER,
  contactName: 'Kerry Fisher',
  messageId,
  text,
});

const status = (id: string, statusName: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: statusName,
  timestamp,
  recipient_id: CUSTOMER,
  ...extra,
});

describe('parseWhatsAppWebhook', () => {
  it('reads a text message with the sender’s profile name', () => {
    const payload = kerrySends(textMessage(WAMID_1, 'Is my order on its way?'));

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([messageFromKerry(WAMID_1, 'Is my order on its way?')]);
  });

  it('skips a sender whose id could not be a contact id (it would name the conversation stream)', () => {
    const payload = webhook({
      messages: [
        textMessage(WAMID_1, 'hi', 'x'.repeat(129)),
        textMessage(WAMID_2, 'hi', '1650 555'),
        textMessage(WAMID_3, 'hi', '\u0000'),
        textMessage('wamid.KEPT', 'hi', OTHER_CUSTOMER),
      ],
    });
    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([
      { kind: 'message', contactId: OTHER_CUSTOMER, messageId: 'wamid.KEPT', text: 'hi' },
    ]);
  });

  it('reads a reply button choice as the button’s id', () => {
    const payload = kerrySends(
      answerToSent('interactive', {
        interactive: { type: 'button_reply', button_reply: { id: 'confirm-delivery', title: 'Yes, deliver' } },
      }),
    );

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([messageFromKerry(WAMID_1, 'confirm-delivery')]);
  });

  it('reads a list row choice as the row’s id', () => {
    const payload = kerrySends(
      answerToSent('interactive', {
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'slot-tuesday-am', title: 'Tuesday morning', description: '8:00–12:00' },
        },
      }),
    );

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([messageFromKerry(WAMID_1, 'slot-tuesday-am')]);
  });

  it('reads a template quick reply as its payload, or its text when it has no payload', () => {
    const payload = kerrySends(answerToSent('button', { button: { payload: 'stop-promotions', text: 'Stop promotions' } }), {
      from: CUSTOMER,
      id: WAMID_2,
      timestamp: '1603059202',
      type: 'button',
      button: { text: 'Talk to a person' },
    });

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([
      messageFromKerry(WAMID_1, 'stop-promotions'),
      messageFromKerry(WAMID_2, 'Talk to a person'),
    ]);
  });

  it('keeps the order of several entries, messages and statuses, and names each sender by wa_id', () => {
    const payload = webhook(
      {
        contacts: [contact('Avery Lopez', OTHER_CUSTOMER), contact('Kerry Fisher')],
        messages: [textMessage(WAMID_1, 'Hello', CUSTOMER), textMessage(WAMID_2, 'Hi there', OTHER_CUSTOMER)],
        statuses: [status(SENT_WAMID, 'delivered', '1603059203'), status(SENT_WAMID, 'read', '1603059204')],
      },
      { contacts: [contact('Kerry Fisher')], messages: [textMessage(WAMID_3, 'Are you there?')] },
    );

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([
      messageFromKerry(WAMID_1, 'Hello'),
      { kind: 'message', contactId: OTHER_CUSTOMER, contactName: 'Avery Lopez', messageId: WAMID_2, text: 'Hi there' },
      { kind: 'receipt', providerMessageId: SENT_WAMID, status: 'delivered', contactId: CUSTOMER, at: '2020-10-18T22:13:23.000Z' },
      { kind: 'receipt', providerMessageId: SENT_WAMID, status: 'read', contactId: CUSTOMER, at: '2020-10-18T22:13:24.000Z' },
      messageFromKerry(WAMID_3, 'Are you there?'),
    ]);
  });

  it('gives only receipts for a status-only payload, including a failed one', () => {
    const payload = webhook({
      statuses: [
        status(SENT_WAMID, 'sent', '1603059201', {
          conversation: { id: 'CONVERSATION_ID', expiration_timestamp: '1603145601', origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
        }),
        status(WAMID_2, 'failed', '1603059205', {
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: {
                details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
              },
            },
          ],
        }),
      ],
    });

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([
      { kind: 'receipt', providerMessageId: SENT_WAMID, status: 'sent', contactId: CUSTOMER, at: '2020-10-18T22:13:21.000Z' },
      { kind: 'receipt', providerMessageId: WAMID_2, status: 'failed', contactId: CUSTOMER, at: '2020-10-18T22:13:25.000Z' },
    ]);
  });

  it('skips media, locations, reactions and unsupported messages', () => {
    const sent = { from: CUSTOMER, timestamp: '1603059201' };
    const payload = kerrySends(
      {
        ...sent,
        id: WAMID_1,
        type: 'image',
        image: { caption: 'my receipt', mime_type: 'image/jpeg', sha256: 'IMAGE_HASH', id: '1234567890' },
      },
      {
        ...sent,
        id: WAMID_2,
        type: 'audio',
        audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'AUDIO_HASH', id: '2345678901', voice: true },
      },
      { ...sent, id: WAMID_3, type: 'location', location: { latitude: 37.48, longitude: -122.15, name: 'Office' } },
      { ...sent, id: 'wamid.REACTION', type: 'reaction', reaction: { message_id: SENT_WAMID, emoji: '👍' } },
      {
        ...sent,
        id: 'wamid.UNSUPPORTED',
        type: 'unsupported',
        errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown' }],
      },
      {
        ...sent,
        id: 'wamid.NFM_REPLY',
        type: 'interactive',
        interactive: { type: 'nfm_reply', nfm_reply: { response_json: '{}', body: 'Sent', name: 'flow' } },
      },
      textMessage('wamid.TEXT', 'Here is my receipt'),
    );

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([messageFromKerry('wamid.TEXT', 'Here is my receipt')]);
  });

  it('skips malformed pieces and keeps the well-formed ones', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        null,
        'entry',
        { id: BUSINESS_ACCOUNT_ID },
        { id: BUSINESS_ACCOUNT_ID, changes: 'not a list' },
        {
          id: BUSINESS_ACCOUNT_ID,
          changes: [
            null,
            { field: 'messages' },
            { field: 'messages', value: 'not an object' },
            { field: 'account_update', value: { messages: [textMessage('wamid.OTHER_FIELD', 'ignored')] } },
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                contacts: 'not a list',
                messages: [
                  null,
                  42,
                  { ...textMessage('wamid.NO_FROM', 'no sender'), from: undefined },
                  { ...textMessage('wamid.NUMERIC_FROM', 'numeric sender'), from: 16505551234 },
                  { ...textMessage(WAMID_1, 'x'), id: '' },
                  { from: CUSTOMER, id: 'wamid.NO_TEXT', timestamp: '1603059201', type: 'text' },
                  { from: CUSTOMER, id: 'wamid.BODY_NOT_TEXT', timestamp: '1603059201', type: 'text', text: { body: 7 } },
                  {
                    from: CUSTOMER,
                    id: 'wamid.NO_REPLY',
                    timestamp: '1603059201',
                    type: 'interactive',
                    interactive: { type: 'button_reply' },
                  },
                  { from: CUSTOMER, id: 'wamid.EMPTY_BUTTON', timestamp: '1603059201', type: 'button', button: {} },
                  textMessage(WAMID_2, 'Still here'),
                ],
                statuses: [
                  null,
                  { status: 'read', timestamp: '1603059201', recipient_id: CUSTOMER },
                  { id: SENT_WAMID, timestamp: '1603059201', recipient_id: CUSTOMER },
                  { id: SENT_WAMID, status: 'delivered', timestamp: 'yesterday', recipient_id: 16505551234 },
                ],
              },
            },
          ],
        },
      ],
    };

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([
      { kind: 'message', contactId: CUSTOMER, messageId: WAMID_2, text: 'Still here' },
      { kind: 'receipt', providerMessageId: SENT_WAMID, status: 'delivered' },
    ]);
  });

  it('names the sender after the only contact when its wa_id is written differently, but not after one of several', () => {
    const lone = webhook({ contacts: [contact('Kerry Fisher', `+${CUSTOMER}`)], messages: [textMessage(WAMID_1, 'Hello')] });
    const several = webhook({
      contacts: [contact('Avery Lopez', OTHER_CUSTOMER), contact('Sam Reed', '16505550000')],
      messages: [textMessage(WAMID_1, 'Hello')],
    });

    expect(parseWhatsAppWebhook(lone, CHANNEL)).toEqual([messageFromKerry(WAMID_1, 'Hello')]);
    expect(parseWhatsAppWebhook(several, CHANNEL)).toEqual([{ kind: 'message', contactId: CUSTOMER, messageId: WAMID_1, text: 'Hello' }]);
  });

  it.each([
    ['another object', { ...webhook({ messages: [textMessage(WAMID_1, 'Hello')] }), object: 'page' }],
    ['no object', { entry: webhook({ messages: [textMessage(WAMID_1, 'Hello')] }).entry }],
    ['null', null],
    ['a string', 'whatsapp_business_account'],
    ['a list', [webhook({ messages: [textMessage(WAMID_1, 'Hello')] })]],
    ['no entries', { object: 'whatsapp_business_account' }],
  ])('gives no items for %s', (_, payload) => {
    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([]);
  });

  it('leaves out the changes of the business account’s other numbers, keeping its own', () => {
    const payload = webhook({ contacts: [contact('Kerry Fisher')], messages: [textMessage(WAMID_1, 'Hello')] });
    const otherNumber = {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550783999', phone_number_id: '106540352249999' },
        messages: [textMessage(WAMID_2, 'For the other number')],
        statuses: [status(SENT_WAMID, 'read', '1603059202')],
      },
    };
    payload.entry[0].changes.unshift(otherNumber);

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([messageFromKerry(WAMID_1, 'Hello')]);
    expect(parseWhatsAppWebhook(payload, { phoneNumberId: '106540352249999' })).toEqual([
      { kind: 'message', contactId: CUSTOMER, messageId: WAMID_2, text: 'For the other number' },
      { kind: 'receipt', providerMessageId: SENT_WAMID, status: 'read', contactId: CUSTOMER, at: '2020-10-18T22:13:22.000Z' },
    ]);
  });

  it('takes a change that names no phone number', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ changes: [{ field: 'messages', value: { messages: [textMessage(WAMID_1, 'Hello')] } }] }],
    };

    expect(parseWhatsAppWebhook(payload, CHANNEL)).toEqual([{ kind: 'message', contactId: CUSTOMER, messageId: WAMID_1, text: 'Hello' }]);
  });
});
