import { describe, expect, it } from '@jest/globals';
import { Visitor, eventually, flowOnWebchat, type TranscriptMessage } from './support/conversations.js';
import { inProcessServerForSuite } from './support/suite-server.js';

/** Asks again and again: every message after the first is answered with what it said. */
const echoFlow = [
  { id: 'ask', type: 'ask_question', text: 'Next?', variable: 'said' },
  { id: 'echo', type: 'send_message', text: 'Got {{said}}', next: 'ask' },
];

interface Page {
  items: TranscriptMessage[];
  next: string;
  previous: string | null;
}

describe('Web chat transcripts: pages and waiting for the reply', () => {
  const running = inProcessServerForSuite();

  const messagesOf = (visitor: Visitor, query: string) =>
    running.api.request<Page & { message?: unknown }>(
      'GET',
      `/webchat/${visitor.channelId}/contacts/${visitor.contactId}/messages?${query}`,
      { token: null },
    );

  it('answers a waiting widget with the reply as soon as it is there, without polling', async () => {
    const { channelId } = await flowOnWebchat(running.api, echoFlow);
    const visitor = new Visitor(running.api, channelId);
    const { messageId } = await visitor.say('hello');
    const reply = await messagesOf(visitor, `waitFor=${messageId}`);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map(({ direction, text }) => `${direction} ${text}`)).toEqual(['outbound Next?']);

    const second = await visitor.say('blue');
    const answer = await messagesOf(visitor, `waitFor=${second.messageId}`);
    const replies = answer.body.items.map(({ text }) => text);
    expect(replies[0]).toBe('Got blue');
    // The wait ends with the first reply; the question after it may be projected a moment later,
    // and waiting after the newest message known gets it, as the widget does.
    let next = answer.body.next;
    if (replies.length === 1) {
      const rest = await messagesOf(visitor, `waitFor=${answer.body.items[0].id}`);
      replies.push(...rest.body.items.map(({ text }) => text));
      next = rest.body.next;
    }
    expect(replies).toEqual(['Got blue', 'Next?']);
    // `next` continues after the reply.
    const later = await messagesOf(visitor, `after=${next}`);
    expect(later.body).toEqual({ items: [], next, previous: expect.any(String) });
  });

  it('serves the transcript of a contact id as long as a contact id may be, even written percent-encoded', async () => {
    const { channelId } = await flowOnWebchat(running.api, echoFlow);
    const longest = `a:b@c+${'x'.repeat(122)}`;
    expect(longest).toHaveLength(128);
    const visitor = new Visitor(running.api, channelId, longest);
    const { messageId } = await visitor.say('hello');
    const reply = await running.api.request<Page>(
      'GET',
      `/webchat/${channelId}/contacts/${encodeURIComponent(longest)}/messages?waitFor=${messageId}`,
      { token: null },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.items.map(({ text }) => text)).toEqual(['Next?']);
    const tooLong = await running.api.request('GET', `/webchat/${channelId}/contacts/${longest}x/messages`, { token: null });
    expect(tooLong.status).toBe(414);
  });

  it('gives up waiting after waitSeconds with what there is, and names a message it does not know', async () => {
    const created = await running.api.request('POST', '/channels', { body: { type: 'webchat', name: 'No flow' } });
    const visitor = new Visitor(running.api, created.body.id);
    const { messageId } = await visitor.say('anyone?');
    const startedAt = Date.now();
    const nothing = await messagesOf(visitor, `waitFor=${messageId}&waitSeconds=1`);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(nothing.status).toBe(200);
    expect(nothing.body.items).toEqual([]);

    const unknown = await messagesOf(visitor, 'waitFor=no-such-message&waitSeconds=1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('no-such-message');

    // Empty, it waited the whole 25 s for a message with no id, then answered 404.
    const askedAt = Date.now();
    const empty = await messagesOf(visitor, 'waitFor=');
    expect([empty.status, empty.body.message]).toEqual([400, ['waitFor must not be empty: leave it out to read at once']]);
    expect(Date.now() - askedAt).toBeLessThan(2000);
  });

  it('pages a long transcript: newest page first, every message once in order going back or forward', async () => {
    const { channelId } = await flowOnWebchat(running.api, echoFlow);
    const visitor = new Visitor(running.api, channelId);
    for (let index = 1; index <= 20; index++) {
      const { messageId } = await visitor.say(`m${index}`);
      await messagesOf(visitor, `waitFor=${messageId}`);
    }
    const all = await eventually(
      async () => (await messagesOf(visitor, 'limit=200')).body.items,
      (items) => items.length === 1 + 20 + 19 * 2,
    );
    expect(all.filter(({ direction }) => direction === 'inbound').map(({ text }) => text)).toEqual(
      Array.from({ length: 20 }, (_, index) => `m${index + 1}`),
    );

    const newest = await messagesOf(visitor, 'limit=7');
    expect(newest.body.items).toEqual(all.slice(-7));
    const backwards: TranscriptMessage[] = [...newest.body.items];
    for (let previous = newest.body.previous; previous !== null;) {
      const page = await messagesOf(visitor, `limit=7&before=${previous}`);
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      backwards.unshift(...page.body.items);
      previous = page.body.previous;
    }
    expect(backwards).toEqual(all);

    const forwards: TranscriptMessage[] = [];
    for (let after = '0'; ;) {
      const page = await messagesOf(visitor, `limit=11&after=${after}`);
      if (page.body.items.length === 0) break;
      forwards.push(...page.body.items);
      after = page.body.next;
    }
    expect(forwards).toEqual(all);

    // Past the end, even at the last place a cursor names: the page before it is the newest one,
    // and `next` is the newest message's place, so that a client holding it sees what comes next.
    const pastTheEnd = await messagesOf(visitor, 'limit=7&after=999999999999');
    expect(pastTheEnd.body.items).toEqual([]);
    expect(pastTheEnd.body.next).toBe(forwards.length.toString().padStart(12, '0'));
    const beforeIt = await messagesOf(visitor, `limit=7&before=${pastTheEnd.body.previous}`);
    expect(beforeIt.body.items).toEqual(all.slice(-7));
    const { messageId } = await visitor.say('m21');
    await messagesOf(visitor, `waitFor=${messageId}`);
    const after = await messagesOf(visitor, `after=${pastTheEnd.body.next}`);
    expect(after.body.items[0]).toMatchObject({ direction: 'inbound', text: 'm21' });
  });

  it('records all of 50 messages one contact sends at once, and answers them in the order recorded', async () => {
    const { channelId } = await flowOnWebchat(running.api, echoFlow);
    const visitor = new Visitor(running.api, channelId);
    const texts = Array.from({ length: 50 }, (_, index) => `burst ${index + 1}`);
    const answers = await Promise.all(
      texts.map((text) =>
        running.api.request('POST', `/webchat/${channelId}/messages`, { body: { contactId: visitor.contactId, text }, token: null }),
      ),
    );
    expect(answers.map(({ status }) => status)).toEqual(Array(50).fill(202));

    const transcript = await eventually(
      async () => (await messagesOf(visitor, 'limit=200')).body.items,
      (items) => items.filter(({ text }) => text.startsWith('Got ')).length === 49,
      20_000,
    );
    const inbound = transcript.filter(({ direction }) => direction === 'inbound');
    expect(new Set(inbound.map(({ id }) => id))).toEqual(new Set(answers.map(({ body }) => body.messageId)));
    const recordedOrder = inbound.map(({ text }) => text);
    expect([...recordedOrder].sort()).toEqual([...texts].sort());
    const echoed = transcript.filter(({ text }) => text.startsWith('Got ')).map(({ text }) => text.slice('Got '.length));
    expect(echoed).toEqual(recordedOrder.slice(1));
  });

  it('refuses bad paging parameters with a 400 naming the field', async () => {
    const { channelId } = await flowOnWebchat(running.api, echoFlow);
    const visitor = new Visitor(running.api, channelId);
    const cases: [string, string][] = [
      ['limit=0', 'limit must be at least 1'],
      ['limit=-1', 'limit must be at least 1'],
      ['limit=201', 'limit must be at most 200'],
      ['limit=ten', 'limit must be'],
      ['after=abc', 'after must be a cursor'],
      ['before=-1', 'before must be a cursor'],
      ['waitSeconds=26&waitFor=x', 'waitSeconds must be at most 25'],
      ['after=1&before=5', 'cannot be combined'],
      ['after=1&waitFor=x', 'cannot be combined'],
    ];
    for (const [query, message] of cases) {
      const response = await messagesOf(visitor, query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(response.body.message)).toContain(message);
    }
  });
});
