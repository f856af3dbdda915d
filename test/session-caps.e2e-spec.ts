import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessionEngineStateProjection } from '#engine';
import { SqliteReadModelStore } from '#readmodel';
import { Visitor, activeSessionsOf, engineReached, eventsOfType, eventually, flowOnWebchat } from './support/conversations.js';
import { type Api, type InProcessServer, newSecret, removeDir, startInProcessServer, temporaryDataDir } from './support/test-server.js';

const CAP = 3;
/** A session stays open until its contact answers. */
const QUESTION_FLOW = [
  { id: 'ask', type: 'ask_question', text: 'Your order number?', variable: 'order' },
  { id: 'thanks', type: 'send_message', text: 'Thanks, we are on it' },
];

describe(`At most ${CAP} open sessions per channel (MAX_OPEN_SESSIONS_PER_CHANNEL)`, () => {
  const dataDir = temporaryDataDir();
  const secret = newSecret();
  const start = () => startInProcessServer(dataDir, secret, { sessionCaps: { maxOpenSessionsPerChannel: CAP } });
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    server = await start();
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(dataDir);
  });

  /** Waits until the engine has handled everything the log holds now. */
  const engineCaughtUp = async () => engineReached(api, (await api.request('GET', '/health', { token: null })).body.logPosition as string);
  const engineStatus = async () => (await api.request('GET', '/health', { token: null })).body.engine;
  const ofChannel = (type: string, channelId: string) => eventsOfType(dataDir, type).filter((data) => data.channelId === channelId);
  let firstChannel: string;

  it('starts sessions up to the cap, records the next contact as refused, and frees a place when a session ends', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, QUESTION_FLOW);
    firstChannel = channelId;
    const admitted = [new Visitor(api, channelId), new Visitor(api, channelId), new Visitor(api, channelId)];
    for (const visitor of admitted) {
      await visitor.say('Hello');
      expect(await visitor.awaitReplies(1)).toEqual(['Your order number?']);
    }

    const fourth = new Visitor(api, channelId);
    const { messageId } = await fourth.say('Let me in');
    await engineCaughtUp();

    const refusals = await api.request('GET', '/audit/events?type=SessionRefused', { token: api.token('auditor') });
    expect(refusals.status).toBe(200);
    expect(refusals.body.items).toHaveLength(1);
    expect(refusals.body.items[0]).toMatchObject({
      stream: `conversation-${channelId}-${fourth.contactId}`,
      type: 'SessionRefused',
      data: {
        channelId,
        contactId: fourth.contactId,
        messageId,
        workflowId,
        reason: 'channel_session_cap',
        openSessions: CAP,
        maxOpenSessions: CAP,
      },
    });
    expect(JSON.stringify(refusals.body.items[0])).not.toContain('Let me in');
    // The message itself stays recorded and in the contact's transcript; it gets no answer.
    expect((await fourth.transcript()).map(({ direction, text }) => [direction, text])).toEqual([['inbound', 'Let me in']]);
    expect(await activeSessionsOf(api, workflowId)).toBe(CAP);
    const sessions = await api.request('GET', `/workflows/${workflowId}/sessions?status=active`);
    expect(sessions.body.items.map(({ contactId }: { contactId: string }) => contactId).sort()).toEqual(
      admitted.map(({ contactId }) => contactId).sort(),
    );
    expect((await engineStatus()).sessionCaps).toEqual({
      maxOpenSessionsPerChannel: CAP,
      openSessions: CAP,
      channelsAtCap: 1,
      sessionsRefused: 1,
    });
    const metrics = (await api.request('GET', '/metrics', { token: null })).body as string;
    expect(metrics).toMatch(/^workflows_sessions_refused_total 1$/m);
    expect(metrics).toMatch(/^workflows_channels_at_session_cap 1$/m);

    await admitted[0].say('A-1001');
    expect(await admitted[0].awaitReplies(2)).toEqual(['Your order number?', 'Thanks, we are on it']);
    await engineCaughtUp();
    expect((await engineStatus()).sessionCaps).toMatchObject({ openSessions: CAP - 1, channelsAtCap: 0 });

    await fourth.say('Let me in, please');
    expect(await fourth.awaitReplies(1)).toEqual(['Your order number?']);
    expect(await activeSessionsOf(api, workflowId)).toBe(CAP);
    expect(ofChannel('SessionRefused', channelId)).toHaveLength(1);
  });

  it('starts exactly as many sessions as there is room for when many contacts arrive at once', async () => {
    const { channelId } = await flowOnWebchat(api, QUESTION_FLOW);
    const crowd = Array.from({ length: 12 }, () => new Visitor(api, channelId));

    await Promise.all(crowd.map((visitor) => visitor.say('Hi')));
    await engineCaughtUp();

    expect(ofChannel('SessionStarted', channelId)).toHaveLength(CAP);
    expect(ofChannel('SessionRefused', channelId)).toHaveLength(crowd.length - CAP);
    const answered = await Promise.all(crowd.map(async (visitor) => (await visitor.replies()).length > 0));
    expect(answered.filter(Boolean)).toHaveLength(CAP);
    expect((await engineStatus()).sessionCaps).toMatchObject({ openSessions: 2 * CAP, channelsAtCap: 2 });
  });

  it('keeps every decision when the server restarts and its engine reacts to the whole log again', async () => {
    const decisions = () =>
      ['SessionStarted', 'SessionRefused', 'MessageRoutedToSession'].map((type) =>
        eventsOfType(dataDir, type).map((data) => data.messageId ?? data.sessionId),
      );
    const before = decisions();
    await server.close();
    // The engine forgets its state and checkpoint: it reacts again to every event from the first.
    const readModel = SqliteReadModelStore.open({ file: join(dataDir, 'read-models.sqlite') });
    const scratchDir = temporaryDataDir();
    const empty = SqliteReadModelStore.open({ file: join(scratchDir, 'empty.sqlite') });
    try {
      await readModel.replaceProjections(empty, [sessionEngineStateProjection]);
    } finally {
      await empty.close();
      await readModel.close();
      removeDir(scratchDir);
    }

    server = await start();
    api = server.api;
    await engineCaughtUp();

    expect(decisions()).toEqual(before);
    // It followed every refusal again, and counts the sessions open as they were.
    expect((await engineStatus()).sessionCaps).toEqual({
      maxOpenSessionsPerChannel: CAP,
      openSessions: 2 * CAP,
      channelsAtCap: 2,
      sessionsRefused: before[1].length,
    });
    const latecomer = new Visitor(api, firstChannel);
    await latecomer.say('Anyone there?');
    await eventually(
      async () => ofChannel('SessionRefused', firstChannel).map(({ contactId }) => contactId as string),
      (refused) => refused.includes(latecomer.contactId),
    );
    expect(ofChannel('SessionStarted', firstChannel)).toHaveLength(CAP + 1);
  });
});
