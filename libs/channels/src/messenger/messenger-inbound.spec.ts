import { describe, expect, it } from '@jest/globals';
import { parseMessengerWebhook } from './messenger-inbound.js';

const PAGE_ID = '106209264729571';
const PSID = '1254459154682919';
const OTHER_PSID = '2043817565928302';
const MID = 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P';
const OTHER_MID = 'm_7k2JqQz9nY1vXbF4c8WdRtLp0sHeUaGiOmKyTfDjNwZx3BvC6lE5rPq2hS9uYgA1iM4oK8eTnJ7dV0bW3xRfLzQ';
const TIMESTAMP = 1_700_000_000_000;

/** The items of a delivery for the channel of page PAGE_ID. */
const itemsForPage = (payload: unknown) => parseMessengerWebhook(payload, { pageId: PAGE_ID });

/** A Messenger webhook body with one entry holding the given `messaging` events. */
const webhook = (...messaging: unknown[]) => ({
  object: 'page',
  entry: [{ id: PAGE_ID, time: TIMESTAMP + 50, messaging }],
});

/** A `messaging` event from the customer to the page. */
const fromCustomer = (fields: Record<string, unknown>, sender = PSID, timestamp = TIMESTAMP) => ({
  sender: { id: sender },
  recipient: { id: PAGE_ID },
  timestamp,
  ...fields,
});

describe('parseMessengerWebhook', () => {
  it('reads a text message', () => {
    expect(itemsForPage(webhook(fromCustomer({ message: { mid: MID, text: 'hello, world!' } })))).toEqual([
      { kind: 'message', contactId: PSID, messageId: MID, text: 'hello, world!' },
    ]);
  });

  it('skips a sender whose id could not be a contact id (it would name the conversation stream)', () => {
    const texts = ['x'.repeat(129), 'a b', 'line\nbreak', '\ud800'].map((sender) =>
      fromCustomer({ message: { mid: MID, text: 'hi' } }, sender),
    );
    expect(itemsForPage(webhook(...texts, fromCustomer({ message: { mid: OTHER_MID, text: 'hi' } }, OTHER_PSID)))).toEqual([
      { kind: 'message', contactId: OTHER_PSID, messageId: OTHER_MID, text: 'hi' },
    ]);
  });

  it('reads a tapped quick reply as its payload, not its title', () => {
    const event = fromCustomer({ message: { mid: MID, text: 'Opening hours', quick_reply: { payload: 'HOURS' } } });

    expect(itemsForPage(webhook(event))).toEqual([{ kind: 'message', contactId: PSID, messageId: MID, text: 'HOURS' }]);
  });

  it('reads a postback as a message with its payload', () => {
    const event = fromCustomer({ postback: { mid: MID, title: 'Talk to a person', payload: 'HANDOFF' } });

    expect(itemsForPage(webhook(event))).toEqual([{ kind: 'message', contactId: PSID, messageId: MID, text: 'HANDOFF' }]);
  });

  it('gives a postback without mid an id made of the sender and the timestamp, the same on redelivery', () => {
    const event = fromCustomer({ postback: { title: 'Get Started', payload: 'GET_STARTED' } });

    const first = itemsForPage(webhook(event));
    const redelivered = itemsForPage(webhook(structuredClone(event)));

    expect(first).toEqual([{ kind: 'message', contactId: PSID, messageId: `postback:${PSID}:${TIMESTAMP}`, text: 'GET_STARTED' }]);
    expect(redelivered).toEqual(first);
  });

  it('skips a postback with neither mid nor timestamp, since no stable id can be made', () => {
    const event = { sender: { id: PSID }, recipient: { id: PAGE_ID }, postback: { title: 'Get Started', payload: 'GET_STARTED' } };

    expect(itemsForPage(webhook(event))).toEqual([]);
  });

  it("ignores an echo of the page's own message", () => {
    const echo = {
      sender: { id: PAGE_ID },
      recipient: { id: PSID },
      timestamp: TIMESTAMP,
      message: { is_echo: true, app_id: 1517776481860111, mid: MID, text: 'We open at 9.' },
    };

    expect(itemsForPage(webhook(echo))).toEqual([]);
  });

  it('reads a delivery as one delivered receipt per mid, timed by the watermark', () => {
    const event = fromCustomer({ delivery: { mids: [MID, OTHER_MID], watermark: 1_458_668_856_253 } });

    expect(itemsForPage(webhook(event))).toEqual([
      { kind: 'receipt', providerMessageId: MID, status: 'delivered', contactId: PSID, at: '2016-03-22T17:47:36.253Z' },
      { kind: 'receipt', providerMessageId: OTHER_MID, status: 'delivered', contactId: PSID, at: '2016-03-22T17:47:36.253Z' },
    ]);
  });

  it('reads a delivery without a usable watermark, leaving the time out', () => {
    const event = fromCustomer({ delivery: { mids: [MID], watermark: 'soon' } });

    expect(itemsForPage(webhook(event))).toEqual([{ kind: 'receipt', providerMessageId: MID, status: 'delivered', contactId: PSID }]);
  });

  it('reports nothing for a delivery without mids', () => {
    expect(itemsForPage(webhook(fromCustomer({ delivery: { watermark: 1_458_668_856_253 } })))).toEqual([]);
  });

  it('skips a read event, which names no message', () => {
    expect(itemsForPage(webhook(fromCustomer({ read: { watermark: 1_458_668_856_253 } })))).toEqual([]);
  });

  it('skips a message that has attachments only', () => {
    const event = fromCustomer({
      message: { mid: MID, attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' } }] },
    });

    expect(itemsForPage(webhook(event))).toEqual([]);
  });

  it('reads the text of a message that also has attachments', () => {
    const event = fromCustomer({
      message: { mid: MID, text: 'Here is the receipt', attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }] },
    });

    expect(itemsForPage(webhook(event))).toEqual([{ kind: 'message', contactId: PSID, messageId: MID, text: 'Here is the receipt' }]);
  });

  it('keeps the order of several events across entries', () => {
    const payload = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: TIMESTAMP,
          messaging: [
            fromCustomer({ message: { mid: 'm_first', text: 'first' } }),
            fromCustomer({ read: { watermark: TIMESTAMP } }),
            fromCustomer({ postback: { mid: 'm_second', title: 'Yes', payload: 'YES' } }, OTHER_PSID),
          ],
        },
        {
          id: PAGE_ID,
          time: TIMESTAMP + 1,
          messaging: [
            fromCustomer({ delivery: { mids: ['m_sent'], watermark: TIMESTAMP } }),
            fromCustomer({ message: { mid: 'm_third', text: 'third' } }),
          ],
        },
      ],
    };

    expect(itemsForPage(payload)).toEqual([
      { kind: 'message', contactId: PSID, messageId: 'm_first', text: 'first' },
      { kind: 'message', contactId: OTHER_PSID, messageId: 'm_second', text: 'YES' },
      { kind: 'receipt', providerMessageId: 'm_sent', status: 'delivered', contactId: PSID, at: new Date(TIMESTAMP).toISOString() },
      { kind: 'message', contactId: PSID, messageId: 'm_third', text: 'third' },
    ]);
  });

  it.each([
    ['another object', { ...webhook(fromCustomer({ message: { mid: MID, text: 'hi' } })), object: 'whatsapp_business_account' }],
    ['no object', { entry: webhook(fromCustomer({ message: { mid: MID, text: 'hi' } })).entry }],
    ['null', null],
    ['a string', 'page'],
    ['an array', [webhook(fromCustomer({ message: { mid: MID, text: 'hi' } }))]],
  ])('gives [] for %s', (_, payload) => {
    expect(itemsForPage(payload)).toEqual([]);
  });

  it('skips malformed pieces without throwing and keeps the good ones', () => {
    const payload = {
      object: 'page',
      entry: [
        null,
        'entry',
        { id: PAGE_ID, messaging: 'not a list' },
        { id: PAGE_ID },
        {
          id: PAGE_ID,
          messaging: [
            null,
            42,
            { recipient: { id: PAGE_ID }, message: { mid: 'm_no_sender', text: 'x' } },
            fromCustomer({ message: { mid: 'm_numeric_sender', text: 'x' } }, 12345 as unknown as string),
            fromCustomer({ message: { text: 'no mid' } }),
            fromCustomer({ message: { mid: 'm_empty_text', text: '' } }),
            fromCustomer({ message: { mid: 'm_number_text', text: 7 } }),
            fromCustomer({ message: 'not an object' }),
            fromCustomer({ postback: { mid: 'm_no_payload', title: 'Yes' } }),
            fromCustomer({ delivery: { mids: [null, 3, '', 'm_good_receipt'], watermark: Number.MAX_VALUE } }),
            fromCustomer({ message: { mid: 'm_good', text: 'still read', quick_reply: { payload: 5 } } }),
          ],
        },
      ],
    };

    expect(() => itemsForPage(payload)).not.toThrow();
    expect(itemsForPage(payload)).toEqual([
      { kind: 'receipt', providerMessageId: 'm_good_receipt', status: 'delivered', contactId: PSID },
      { kind: 'message', contactId: PSID, messageId: 'm_good', text: 'still read' },
    ]);
  });

  it('leaves out the entries of the app’s other pages, keeping its own', () => {
    const ownEntry = webhook(fromCustomer({ message: { mid: MID, text: 'for this page' } })).entry[0];
    const otherPage = {
      id: '998877665544332',
      time: TIMESTAMP,
      messaging: [fromCustomer({ message: { mid: OTHER_MID, text: 'for the other page' } })],
    };
    const payload = { object: 'page', entry: [otherPage, ownEntry] };

    expect(itemsForPage(payload)).toEqual([{ kind: 'message', contactId: PSID, messageId: MID, text: 'for this page' }]);
    expect(parseMessengerWebhook(payload, { pageId: otherPage.id })).toEqual([
      { kind: 'message', contactId: PSID, messageId: OTHER_MID, text: 'for the other page' },
    ]);
  });
});
