import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '#eventstore';
import { Visitor, activeSessionsInLog, activeSessionsOf, engineReached, eventually, flowOnWebchat } from './support/conversations.js';
import { rateLimitsWith } from './support/rate-limits.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const supportFlow = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}, welcome to Acme!' },
  {
    id: 'ask_age',
    type: 'ask_question',
    text: 'How old are you?',
    variable: 'age',
    answerType: 'number',
    retryText: 'Please answer with a number.',
  },
  { id: 'thanks', type: 'send_message', text: 'Thanks, {{contact.name}}: {{age}} noted.' },
  {
    id: 'route',
    type: 'branch',
    branches: [{ condition: { variable: 'age', op: 'lt', value: 18 }, next: 'minors' }],
    elseNext: 'adults',
  },
  { id: 'minors', type: 'route_to_team', team: 'youth' },
  { id: 'adults', type: 'route_to_team', team: 'sales', note: 'Customer aged {{age}}' },
];

describe('Sessions over web chat', () => {
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    // Forty visitors at once, all on this machine's one address, each polling its transcript.
    server = await startInProcessServer(undefined, undefined, { rateLimits: rateLimitsWith({ webchatAddress: 'unlimited' }) });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('runs a full conversation: welcome, question, retry, templated reply, branch, route to team', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, supportFlow);
    const visitor = new Visitor(api, channelId);

    await visitor.say('Hello', 'Ada');
    expect(await visitor.awaitReplies(2)).toEqual(['Hi Ada, welcome to Acme!', 'How old are you?']);
    expect(
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 1,
      ),
    ).toBe(1);

    await visitor.say('old enough');
    expect((await visitor.awaitReplies(3))[2]).toBe('Please answer with a number.');

    await visitor.say('42');
    expect((await visitor.awaitReplies(4))[3]).toBe('Thanks, Ada: 42 noted.');
    expect(
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 0,
      ),
    ).toBe(0);

    const transcript = await visitor.transcript();
    expect(transcript.map(({ direction, text }) => [direction, text])).toEqual([
      ['inbound', 'Hello'],
      ['outbound', 'Hi Ada, welcome to Acme!'],
      ['outbound', 'How old are you?'],
      ['inbound', 'old enough'],
      ['outbound', 'Please answer with a number.'],
      ['inbound', '42'],
      ['outbound', 'Thanks, Ada: 42 noted.'],
    ]);

    const sessions = await eventually(
      () => api.request('GET', `/workflows/${workflowId}/sessions?status=ended`),
      (response) => response.body.items?.length === 1,
    );
    const [summary] = sessions.body.items;
    expect(summary).toMatchObject({ workflowId, workflowVersion: 2, channelId, contactId: visitor.contactId, status: 'ended' });
    const session = await api.request('GET', `/sessions/${summary.id}`);
    expect(session.body).toMatchObject({
      id: summary.id,
      status: 'ended',
      endReason: 'routed_to_team',
      team: 'sales',
      currentStepId: 'adults',
      variables: { age: 42 },
    });
    expect(session.body.transcript).toHaveLength(7);
  });

  const question = (text: string) => [
    { id: 'hello', type: 'send_message', text },
    { id: 'ask', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
    { id: 'bye', type: 'send_message', text: 'Got {{email}}' },
  ];
  const activeCount = (workflowId: string, count: number) =>
    eventually(
      () => activeSessionsOf(api, workflowId),
      (active) => active === count,
    );

  it('offers the choices of a choice question and follows the chosen option', async () => {
    const { channelId } = await flowOnWebchat(api, [
      {
        id: 'topic',
        type: 'ask_question',
        text: 'What about?',
        variable: 'topic',
        answerType: 'choice',
        options: [
          { label: 'Billing', value: 'billing', next: 'billing' },
          { label: 'Something else', next: 'other' },
        ],
      },
      { id: 'billing', type: 'send_message', text: 'Billing it is ({{topic}})', next: 'done' },
      { id: 'other', type: 'send_message', text: 'Tell me more' },
      { id: 'done', type: 'end' },
    ]);
    const [first, second] = [new Visitor(api, channelId), new Visitor(api, channelId)];
    await Promise.all([first.say('hi'), second.say('hi')]);
    const [question] = (
      await eventually(
        () => first.transcript(),
        (items) => items.length === 2,
      )
    ).slice(1);
    expect(question.choices).toEqual([
      { label: 'Billing', value: 'billing' },
      { label: 'Something else', value: 'Something else' },
    ]);
    await first.say('billing');
    await second.say('2');
    expect((await first.awaitReplies(2))[1]).toBe('Billing it is (billing)');
    expect((await second.awaitReplies(2))[1]).toBe('Tell me more');
  });

  it('pins a session to the version it started with; new sessions use the newest', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Version one'));
    const early = new Visitor(api, channelId);
    await early.say('hi');
    expect(await early.awaitReplies(2)).toEqual(['Version one', 'Your email?']);

    const edited = await api.request('PUT', `/workflows/${workflowId}/definition`, {
      body: { steps: [{ id: 'hello', type: 'send_message', text: 'Version two' }, ...question('').slice(1)] },
    });
    expect(edited.body.version).toBe(3);

    await early.say('ada@example.com');
    expect((await early.awaitReplies(3))[2]).toBe('Got ada@example.com');
    const late = new Visitor(api, channelId);
    await late.say('hi');
    expect(await late.awaitReplies(2)).toEqual(['Version two', 'Your email?']);

    const sessions = await eventually(
      () => api.request('GET', `/workflows/${workflowId}/sessions`),
      (response) => response.body.items.length === 2,
    );
    const versions = Object.fromEntries(sessions.body.items.map((item: any) => [item.contactId, item.workflowVersion]));
    expect(versions).toEqual({ [early.contactId]: 2, [late.contactId]: 3 });
  });

  it('deactivates every active session at once; the workflow stays and the next message starts afresh', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const visitors = Array.from({ length: 25 }, () => new Visitor(api, channelId));
    await Promise.all(visitors.map((visitor) => visitor.say('hi')));
    await Promise.all(visitors.map((visitor) => visitor.awaitReplies(2)));
    expect(await activeCount(workflowId, 25)).toBe(25);

    const deactivated = await api.request('POST', `/workflows/${workflowId}/deactivate-sessions`);
    expect(deactivated.status).toBe(202);
    expect(deactivated.body).toEqual({ position: expect.any(String) });
    expect(await activeCount(workflowId, 0)).toBe(0);
    expect(activeSessionsInLog(server.dataDir, workflowId).size).toBe(0);
    const ended = await api.request('GET', `/workflows/${workflowId}/sessions?status=ended&limit=100`);
    expect(ended.body.items).toHaveLength(25);
    expect(new Set(ended.body.items.map((item: any) => item.endReason))).toEqual(new Set(['deactivated']));
    expect((await api.request('GET', `/workflows/${workflowId}`)).status).toBe(200);

    // The answer to the old question starts a fresh session instead.
    const [first] = visitors;
    await first.say('ada@example.com');
    expect((await first.awaitReplies(4)).slice(2)).toEqual(['Welcome', 'Your email?']);
    expect(await activeCount(workflowId, 1)).toBe(1);
  });

  it('answers 404 to deactivating an unknown workflow and 403 to an auditor', async () => {
    expect((await api.request('POST', '/workflows/00000000-0000-4000-8000-000000000000/deactivate-sessions')).status).toBe(404);
    const { workflowId } = await flowOnWebchat(api, question('x'));
    expect((await api.request('POST', `/workflows/${workflowId}/deactivate-sessions`, { token: api.token('auditor') })).status).toBe(403);
  });

  it('on delete, terminates the active sessions, unassigns the channel, and answers nothing afterwards', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const visitors = [new Visitor(api, channelId), new Visitor(api, channelId)];
    await Promise.all(visitors.map((visitor) => visitor.say('hi')));
    await Promise.all(visitors.map((visitor) => visitor.awaitReplies(2)));
    const sessionIds = (await api.request('GET', `/workflows/${workflowId}/sessions?status=active`)).body.items.map((item: any) => item.id);
    expect(sessionIds).toHaveLength(2);

    const deleted = await api.request('DELETE', `/workflows/${workflowId}`);
    expect(deleted.status).toBe(200);
    for (const id of sessionIds) {
      const session = await eventually(
        () => api.request('GET', `/sessions/${id}`),
        (response) => response.body.status === 'ended',
      );
      expect(session.body.endReason).toBe('terminated');
    }
    const channels = await eventually(
      () => api.request('GET', '/channels'),
      (response) => response.body.items.find((channel: any) => channel.id === channelId)?.workflowId === null,
    );
    expect(channels.body.items.find((channel: any) => channel.id === channelId).workflowId).toBeNull();
    expect(activeSessionsInLog(server.dataDir, workflowId).size).toBe(0);

    const [visitor] = visitors;
    const { position } = await visitor.say('ada@example.com');
    await engineReached(api, position);
    expect(await visitor.replies()).toHaveLength(2);
    expect((await api.request('GET', `/workflows/${workflowId}/sessions`)).status).toBe(404);
  });

  it("says a placeholder's fallback where the visitor gave no name, and the name where they did", async () => {
    const { channelId } = await flowOnWebchat(api, [{ id: 'hi', type: 'send_message', text: 'Hi {{contact.name | there}}!' }]);
    const nameless = new Visitor(api, channelId);
    await nameless.say('Hello');
    expect(await nameless.awaitReplies(1)).toEqual(['Hi there!']);
    const named = new Visitor(api, channelId);
    await named.say('Hello', 'Ada');
    expect(await named.awaitReplies(1)).toEqual(['Hi Ada!']);
  });

  it('records messages on a channel without a workflow and sends nothing', async () => {
    const channel = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Quiet' } });
    const visitor = new Visitor(api, channel.body.id);
    const { position } = await visitor.say('anyone there?');
    await engineReached(api, position);
    const transcript = await eventually(
      () => visitor.transcript(),
      (items) => items.length === 1,
    );
    expect(transcript.map(({ direction, text }) => [direction, text])).toEqual([['inbound', 'anyone there?']]);
  });

  it('waits on durable timers: a wait step, a question timeout, and inactivity expiry', async () => {
    const { workflowId, channelId } = await flowOnWebchat(
      api,
      [
        { id: 'hold', type: 'send_message', text: 'One moment…' },
        { id: 'pause', type: 'wait', seconds: 1 },
        { id: 'ask', type: 'ask_question', text: 'Still there?', variable: 'still', timeoutSeconds: 1, timeoutNext: 'nudge' },
        { id: 'done', type: 'end' },
        { id: 'nudge', type: 'ask_question', text: 'Say anything to go on', variable: 'any' },
      ],
      { settings: { sessionTimeoutSeconds: 2 } },
    );
    const visitor = new Visitor(api, channelId);
    const started = Date.now();
    await visitor.say('hi');
    expect(await visitor.awaitReplies(1)).toEqual(['One moment…']);
    expect(await visitor.awaitReplies(2)).toEqual(['One moment…', 'Still there?']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await visitor.awaitReplies(3))[2]).toBe('Say anything to go on');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    // No answer: the session expires after sessionTimeoutSeconds without activity.
    const [session] = (
      await eventually(
        () => api.request('GET', `/workflows/${workflowId}/sessions?status=ended`),
        (response) => response.body.items.length === 1,
      )
    ).body.items;
    expect(session.endReason).toBe('expired');
    expect(await activeCount(workflowId, 0)).toBe(0);
  });

  it("applies one contact's messages in the order they were recorded, also when they arrive at once", async () => {
    const { channelId } = await flowOnWebchat(api, [
      { id: 'q1', type: 'ask_question', text: 'First?', variable: 'a' },
      { id: 'q2', type: 'ask_question', text: 'Second?', variable: 'b' },
      { id: 'q3', type: 'ask_question', text: 'Third?', variable: 'c' },
      { id: 'q4', type: 'ask_question', text: 'Fourth?', variable: 'd' },
      { id: 'sum', type: 'send_message', text: '{{a}} {{b}} {{c}} {{d}}' },
    ]);
    const visitor = new Visitor(api, channelId);
    await visitor.say('start');
    await visitor.awaitReplies(1);
    await Promise.all(['one', 'two', 'three', 'four'].map((text) => visitor.say(text)));
    const replies = await visitor.awaitReplies(5);
    const inbound = (await visitor.transcript()).filter((message) => message.direction === 'inbound').map((message) => message.text);
    expect(replies[4]).toBe(inbound.slice(1).join(' '));
  });

  it('keeps activeSessions exactly equal to the sessions active in the log while many start and end at once', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const visitors = Array.from({ length: 40 }, () => new Visitor(api, channelId));
    await Promise.all(visitors.map((visitor) => visitor.say('hi')));
    // Half of them finish while the others are still starting.
    await Promise.all(
      visitors.slice(0, 20).map(async (visitor) => {
        await visitor.awaitReplies(2);
        await visitor.say('done@example.com');
      }),
    );
    await Promise.all(visitors.slice(0, 20).map((visitor) => visitor.awaitReplies(3)));
    await Promise.all(visitors.slice(20).map((visitor) => visitor.awaitReplies(2)));
    expect(await activeCount(workflowId, 20)).toBe(20);
    const inLog = activeSessionsInLog(server.dataDir, workflowId);
    expect(inLog.size).toBe(20);
    const listed = await api.request('GET', `/workflows/${workflowId}/sessions?status=active&limit=1000`);
    expect(new Set(listed.body.items.map((item: any) => item.id))).toEqual(inLog);
  });

  it('lists a workflow’s sessions a page at a time, newest first, each once, with or without a status', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const visitors = Array.from({ length: 7 }, () => new Visitor(api, channelId));
    for (const visitor of visitors) {
      await visitor.say('hi');
      await visitor.awaitReplies(2);
    }
    await visitors[0].say('done@example.com');
    await visitors[0].awaitReplies(3);
    const pagesOf = async (query: string) => {
      const pages: { id: string; startedAt: string }[][] = [];
      for (let cursor: string | undefined; ;) {
        const path = `/workflows/${workflowId}/sessions?limit=3${query}${cursor === undefined ? '' : `&cursor=${cursor}`}`;
        const page = await eventually(
          () => api.request('GET', path),
          (response) => response.status === 200,
        );
        pages.push(page.body.items);
        cursor = page.body.nextCursor;
        if (cursor === undefined) return pages;
      }
    };
    const all = await eventually(
      () => pagesOf(''),
      (pages) => pages.flat().length === 7,
    );
    expect(all.map((page) => page.length)).toEqual([3, 3, 1]);
    const listed = all.flat();
    expect(new Set(listed.map((session) => session.id)).size).toBe(7);
    expect(listed.map((session) => session.startedAt)).toEqual(
      listed
        .map((session) => session.startedAt)
        .sort()
        .reverse(),
    );
    const active = await eventually(
      () => pagesOf('&status=active'),
      (pages) => pages.flat().length === 6,
    );
    expect(active.map((page) => page.length)).toEqual([3, 3]);
    expect(active.flat().map((session) => session.id)).toEqual(
      listed.filter((session) => session.id !== listed.at(-1)?.id).map((session) => session.id),
    );

    const refused = await api.request('GET', `/workflows/${workflowId}/sessions?cursor=not-a-cursor`);
    expect([refused.status, refused.body.message]).toEqual([400, 'cursor is not a cursor returned by this API']);
  });

  it('gives up on a session whose stream is corrupt without holding up the others', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const [broken, healthy] = [new Visitor(api, channelId), new Visitor(api, channelId)];
    await Promise.all([broken.say('hi'), healthy.say('hi')]);
    await Promise.all([broken.awaitReplies(2), healthy.awaitReplies(2)]);
    const sessions = await api.request('GET', `/workflows/${workflowId}/sessions?status=active`);
    const brokenSession = sessions.body.items.find((item: any) => item.contactId === broken.contactId);

    // Another process writes what no decider would: a question for a step the definition lacks.
    const log = SqliteEventStore.open({ file: join(server.dataDir, 'events.sqlite') });
    try {
      await log.appendToStream(`session-${brokenSession.id}`, [
        {
          id: randomUUID(),
          type: 'QuestionAsked',
          data: { sessionId: brokenSession.id, stepId: 'ghost', variable: 'ghost', attempt: 1 },
          metadata: {
            correlationId: 'test',
            causationId: 'test',
            actor: { sub: 'test', role: 'system' },
            occurredAt: new Date().toISOString(),
            workspace: 'default',
          },
        },
      ]);
    } finally {
      await log.close();
    }
    const started = Date.now();
    const { position } = await broken.say('ada@example.com');
    await healthy.say('bob@example.com');
    expect((await healthy.awaitReplies(3))[2]).toBe('Got bob@example.com');
    expect(Date.now() - started).toBeLessThan(1000);
    await engineReached(api, position);
    expect(await broken.replies()).toHaveLength(2);
  });

  it('shows sessions only to their own workspace', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, question('Welcome'));
    const visitor = new Visitor(api, channelId);
    await visitor.say('hi');
    await visitor.awaitReplies(2);
    const [session] = (
      await eventually(
        () => api.request('GET', `/workflows/${workflowId}/sessions`),
        (response) => response.body.items.length === 1,
      )
    ).body.items;
    const outsider = api.token('admin', 'globex');
    expect((await api.request('GET', `/sessions/${session.id}`, { token: outsider })).status).toBe(404);
    expect((await api.request('GET', `/workflows/${workflowId}/sessions`, { token: outsider })).status).toBe(404);
    expect((await api.request('POST', `/workflows/${workflowId}/deactivate-sessions`, { token: outsider })).status).toBe(404);
    expect((await api.request('GET', `/sessions/${session.id}`, { token: api.token('auditor') })).status).toBe(200);
    expect((await api.request('GET', `/sessions/${session.id}`, { token: null })).status).toBe(401);
  });

  it.each([
    ['no contactId', { text: 'hi' }, 'contactId'],
    ['a contactId with a space', { contactId: 'a b', text: 'hi' }, 'contactId'],
    ['no text', { contactId: 'c1' }, 'text'],
    ['a blank text', { contactId: 'c1', text: '   ' }, 'text must not be empty'],
    ['a text of 4097 characters', { contactId: 'c1', text: 'x'.repeat(4097) }, 'text must be at most 4096 characters'],
    ['a blank contactName', { contactId: 'c1', text: 'hi', contactName: '   ' }, 'contactName must not be empty'],
    [
      'a NUL in its text',
      { contactId: 'c1', text: 'hi\u0000' },
      'text must not contain control characters other than tabs and line breaks',
    ],
    ['an escape code in its text', { contactId: 'c1', text: '\u001b[31mred' }, 'text must not contain control characters'],
    ['an unpaired surrogate in its text', { contactId: 'c1', text: 'hi \ud800' }, 'text must not contain unpaired surrogates'],
    ['a line break in contactName', { contactId: 'c1', text: 'hi', contactName: 'Ada\nLovelace' }, 'contactName must not contain control'],
    ['an unknown field', { contactId: 'c1', text: 'hi', extra: 1 }, 'extra'],
  ])('refuses a web chat message with %s: 400 naming the field', async (_, body, field) => {
    const channel = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Chat' } });
    const response = await api.request('POST', `/webchat/${channel.body.id}/messages`, { body, token: null });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(field);
  });

  it('takes tabs and line breaks in a text, and characters beyond the basic plane', async () => {
    const channel = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Chat' } });
    const text = 'Line one\r\n\tLine two 😀';
    const response = await api.request('POST', `/webchat/${channel.body.id}/messages`, {
      body: { contactId: 'c-tabs', text },
      token: null,
    });
    expect(response.status).toBe(202);
  });

  it('answers 404 for messages to an unknown channel and for a session id that names nothing', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api.request('POST', `/webchat/${unknown}/messages`, { body: { contactId: 'c1', text: 'hi' }, token: null })).status).toBe(
      404,
    );
    expect((await api.request('GET', `/webchat/${unknown}/contacts/c1/messages`, { token: null })).status).toBe(404);
    expect((await api.request('GET', `/sessions/${unknown}`)).status).toBe(404);
    expect((await api.request('GET', '/sessions/not-an-id')).status).toBe(404);
    expect((await api.request('GET', `/workflows/${unknown}/sessions?status=open`)).status).toBe(400);
  });
});
