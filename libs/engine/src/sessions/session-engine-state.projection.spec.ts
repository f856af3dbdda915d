import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import {
  ENGINE_ACTIVE_SESSIONS_COLLECTION,
  ENGINE_CHANNELS_COLLECTION,
  ENGINE_OUTBOXES_COLLECTION,
  ENGINE_PENDING_WORK_COLLECTION,
  ENGINE_SCOPE,
  type EngineActiveSession,
  type EngineChannel,
  type EngineOutbox,
  type PendingWork,
  type WorkChange,
  outboxWorkId,
} from './session-engine-state.projection.js';
import { SESSION_END_TYPES, commitToEngineState, engineEventsIn, openTemporaryReadModelStore } from './session-engine.fixture.js';

const WORKSPACE = 'acme';
const OTHER_WORKSPACE = 'globex';
const on = engineEventsIn(WORKSPACE);
const inOther = engineEventsIn(OTHER_WORKSPACE);

const DUE = '2030-01-02T00:00:00.000Z';
const LATER = '2030-01-03T00:00:00.000Z';
const SENT_AT = '2030-01-01T00:00:10.000Z';
const DELIVERED_AT = '2030-01-01T00:00:20.000Z';
const RETRY_AT = '2030-01-01T00:01:00.000Z';
const STARTED_AT = '2030-01-01T00:00:00.000Z';

const COLLECTIONS = [
  ENGINE_ACTIVE_SESSIONS_COLLECTION,
  ENGINE_CHANNELS_COLLECTION,
  ENGINE_OUTBOXES_COLLECTION,
  ENGINE_PENDING_WORK_COLLECTION,
];

/** The ids a list of changes owes and settles, in order. */
const owedIn = (changes: WorkChange[]) => changes.flatMap((change) => (change.kind === 'owe' ? [change.work.id] : []));
const settledIn = (changes: WorkChange[]) => changes.flatMap((change) => (change.kind === 'settle' ? [change.id] : []));

/** What a follower of the changes, in order, ends up owing, by id. */
const followed = (changes: WorkChange[]): PendingWork[] => {
  const owed = new Map<string, PendingWork>();
  for (const change of changes) {
    if (change.kind === 'owe') owed.set(change.work.id, change.work);
    else owed.delete(change.id);
  }
  return [...owed.values()].sort((a, b) => a.id.localeCompare(b.id));
};

describe('session engine state', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;

  /** This spec's own queries: every document of a collection, by id. */
  const declareListsById = (of: ReadModelStore) =>
    of.declareIndexes(COLLECTIONS.map((collection) => ({ collection, equals: [], orderBy: 'id' })));

  beforeEach(async () => {
    ({ store, dispose } = await openTemporaryReadModelStore());
    await declareListsById(store);
  });
  afterEach(async () => {
    await dispose();
  });

  const commit = (...events: RecordedEvent[]) => commitToEngineState(store, ...events);
  const activeSession = (sessionId: string) => store.get<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION, sessionId);
  const channel = (channelId: string) => store.get<EngineChannel>(ENGINE_CHANNELS_COLLECTION, channelId);
  const outbox = (sessionId: string) => store.get<EngineOutbox>(ENGINE_OUTBOXES_COLLECTION, sessionId);
  const pendingWork = (workId: string) => store.get<PendingWork>(ENGINE_PENDING_WORK_COLLECTION, workId);
  const allPendingWorkOf = async (of: ReadModelStore) =>
    (await of.list<PendingWork>(ENGINE_PENDING_WORK_COLLECTION, { workspace: ENGINE_SCOPE, orderBy: 'id', limit: 100 })).sort((a, b) =>
      a.id.localeCompare(b.id),
    );
  const pendingWorkIds = async () => (await allPendingWorkOf(store)).map(({ id }) => id);
  /** Every document the engine keeps, in every workspace it writes to. */
  const wholeStateOf = async (of: ReadModelStore) => {
    const state: Record<string, unknown[]> = {};
    for (const collection of COLLECTIONS) {
      for (const workspace of [WORKSPACE, OTHER_WORKSPACE, ENGINE_SCOPE]) {
        state[`${collection}/${workspace}`] = await of.list(collection, { workspace, orderBy: 'id', limit: 100 });
      }
    }
    return state;
  };
  const wholeState = () => wholeStateOf(store);

  /** A session in the middle of things: an inactivity timer, a step timer and an agent request pending. */
  const busySession = (sessionId: string, events = on) => [
    events.sessionStarted(sessionId),
    events.inactivityTimer(sessionId, `${sessionId}:t:1`, DUE),
    events.stepTimer(sessionId, `${sessionId}:t:2`, DUE),
    events.agentInvoked(sessionId, `${sessionId}:a:1`, '2030-01-01T00:00:05.000Z'),
  ];

  /** The delivery of the outbox of `sessionId` (of WORKSPACE), due at `dueAt`. */
  const delivery = (sessionId: string, dueAt: string): PendingWork => ({
    id: outboxWorkId(sessionId),
    workspace: ENGINE_SCOPE,
    kind: 'delivery',
    sessionId,
    sessionWorkspace: WORKSPACE,
    dueAt,
  });
  const deliveryOwed = (sessionId: string, dueAt: string): WorkChange => ({ kind: 'owe', work: delivery(sessionId, dueAt) });

  describe('active sessions', () => {
    it('keeps an active session, in its own workspace, for each session started', async () => {
      const started = on.sessionStarted('s-1', 'wf-1', '2030-01-01T00:00:00.000Z', 'wa-1');
      const startedElsewhere = inOther.sessionStarted('s-2', 'wf-9', '2030-01-01T00:01:00.000Z');

      const changes = await commit(started, startedElsewhere);

      expect(changes).toEqual([]);
      expect(await activeSession('s-1')).toEqual({
        id: 's-1',
        workspace: WORKSPACE,
        workflowId: 'wf-1',
        channelId: 'wa-1',
        startedAt: '2030-01-01T00:00:00.000Z',
        inactivityTimerId: null,
        stepTimerId: null,
        agentRequestId: null,
      });
      expect(await activeSession('s-2')).toMatchObject({ workspace: OTHER_WORKSPACE, workflowId: 'wf-9', channelId: 'webchat-1' });
      expect(await store.list(ENGINE_ACTIVE_SESSIONS_COLLECTION, { workspace: WORKSPACE, orderBy: 'id', limit: 10 })).toHaveLength(1);
    });

    it.each(SESSION_END_TYPES)('forgets a session on %s, and the work it had pending with it', async (endType) => {
      await commit(...busySession('s-1'), ...busySession('s-2'));
      expect(await pendingWorkIds()).toEqual(['s-1:a:1', 's-1:t:1', 's-1:t:2', 's-2:a:1', 's-2:t:1', 's-2:t:2']);

      const changes = await commit(on.sessionEnded(endType, 's-1'));

      expect(changes).toEqual([
        { kind: 'settle', id: 's-1:t:1' },
        { kind: 'settle', id: 's-1:t:2' },
        { kind: 'settle', id: 's-1:a:1' },
      ]);
      expect(await activeSession('s-1')).toBeUndefined();
      expect(await pendingWorkIds()).toEqual(['s-2:a:1', 's-2:t:1', 's-2:t:2']);
      expect(await activeSession('s-2')).toMatchObject({ inactivityTimerId: 's-2:t:1', stepTimerId: 's-2:t:2', agentRequestId: 's-2:a:1' });
    });

    it('settles nothing when a session without pending work ends', async () => {
      await commit(on.sessionStarted('s-1'));

      expect(await commit(on.sessionEnded('SessionCompleted', 's-1'))).toEqual([]);
      expect(await activeSession('s-1')).toBeUndefined();
    });
  });

  describe('pending timers', () => {
    beforeEach(async () => {
      await commit(on.sessionStarted('s-1'));
    });

    it('owes a scheduled timer, in the engine scope, naming the session and its workspace', async () => {
      const changes = await commit(on.inactivityTimer('s-1', 't-1', DUE), on.stepTimer('s-1', 't-2', LATER, 'question_timeout'));

      const owedTimer: PendingWork = {
        id: 't-1',
        workspace: ENGINE_SCOPE,
        sessionId: 's-1',
        sessionWorkspace: WORKSPACE,
        kind: 'timer',
        dueAt: DUE,
      };
      expect(await pendingWork('t-1')).toEqual(owedTimer);
      expect(await pendingWork('t-2')).toMatchObject({ kind: 'timer', dueAt: LATER });
      expect(changes).toEqual([
        { kind: 'owe', work: owedTimer },
        { kind: 'owe', work: { ...owedTimer, id: 't-2', dueAt: LATER } },
      ]);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 't-1', stepTimerId: 't-2' });
    });

    it('lets a new inactivity timer replace the previous one, leaving the step timer alone', async () => {
      await commit(on.inactivityTimer('s-1', 't-1', DUE), on.stepTimer('s-1', 't-2', DUE));

      const changes = await commit(on.inactivityTimer('s-1', 't-3', LATER));

      expect(owedIn(changes)).toEqual(['t-3']);
      expect(settledIn(changes)).toEqual(['t-1']);
      expect(await pendingWorkIds()).toEqual(['t-2', 't-3']);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 't-3', stepTimerId: 't-2' });
    });

    it('lets a new step timer replace the previous one, leaving the inactivity timer alone', async () => {
      await commit(on.inactivityTimer('s-1', 't-1', DUE), on.stepTimer('s-1', 't-2', DUE, 'question_timeout'));

      const changes = await commit(on.stepTimer('s-1', 't-3', LATER, 'question_timeout'));

      expect(owedIn(changes)).toEqual(['t-3']);
      expect(settledIn(changes)).toEqual(['t-2']);
      expect(await pendingWorkIds()).toEqual(['t-1', 't-3']);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 't-1', stepTimerId: 't-3' });
    });

    it('forgets a timer once it fired, whichever it was', async () => {
      await commit(on.inactivityTimer('s-1', 't-1', DUE), on.stepTimer('s-1', 't-2', DUE));

      expect(await commit(on.timerFired('s-1', 't-2'))).toEqual([{ kind: 'settle', id: 't-2' }]);
      expect(await pendingWorkIds()).toEqual(['t-1']);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 't-1', stepTimerId: null });

      expect(await commit(on.timerFired('s-1', 't-1'))).toEqual([{ kind: 'settle', id: 't-1' }]);
      expect(await pendingWorkIds()).toEqual([]);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: null, stepTimerId: null });
    });

    it.each([
      ['StepEntered', () => on.stepEntered('s-1')],
      ['AnswerAccepted', () => on.answerAccepted('s-1')],
    ])('cancels the step timer when the session leaves its step (%s), keeping the inactivity timer', async (_, left) => {
      await commit(on.inactivityTimer('s-1', 't-1', DUE), on.stepTimer('s-1', 't-2', DUE, 'question_timeout'));

      const changes = await commit(left());

      expect(changes).toEqual([{ kind: 'settle', id: 't-2' }]);
      expect(await pendingWorkIds()).toEqual(['t-1']);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 't-1', stepTimerId: null });
    });

    it('owes nothing for a session it does not know as active', async () => {
      const changes = await commit(
        on.inactivityTimer('s-unknown', 't-1', DUE),
        on.agentInvoked('s-unknown', 'a-1'),
        on.sessionEnded('SessionCompleted', 's-2'),
        on.stepTimer('s-2', 't-2', DUE),
      );

      expect(changes).toEqual([]);
      expect(await pendingWorkIds()).toEqual([]);
      expect(await activeSession('s-unknown')).toBeUndefined();
    });
  });

  describe('pending agent requests', () => {
    beforeEach(async () => {
      await commit(on.sessionStarted('s-1'));
    });

    it('owes an agent request from the moment it was asked', async () => {
      const changes = await commit(on.agentInvoked('s-1', 'a-1', '2030-01-01T00:00:05.000Z'));

      const owedRequest: PendingWork = {
        id: 'a-1',
        workspace: ENGINE_SCOPE,
        sessionId: 's-1',
        sessionWorkspace: WORKSPACE,
        kind: 'agent_request',
        dueAt: '2030-01-01T00:00:05.000Z',
      };
      expect(await pendingWork('a-1')).toEqual(owedRequest);
      expect(changes).toEqual([{ kind: 'owe', work: owedRequest }]);
      expect(await activeSession('s-1')).toMatchObject({ agentRequestId: 'a-1' });
    });

    it.each([
      ['AgentReplied', () => on.agentReplied('s-1', 'a-1')],
      ['AgentFailed', () => on.agentFailed('s-1', 'a-1')],
    ])('forgets the request once it has its outcome (%s)', async (_, outcome) => {
      await commit(on.inactivityTimer('s-1', 't-1', DUE), on.agentInvoked('s-1', 'a-1'));

      const changes = await commit(outcome());

      expect(changes).toEqual([{ kind: 'settle', id: 'a-1' }]);
      expect(await pendingWorkIds()).toEqual(['t-1']);
      expect(await activeSession('s-1')).toMatchObject({ agentRequestId: null, inactivityTimerId: 't-1' });
    });
  });

  describe('channels', () => {
    it('keeps each channel created, with its type and no workflow, in its own workspace', async () => {
      const changes = await commit(on.channelCreated('wa-1', 'whatsapp'), inOther.channelCreated('web-2', 'webchat'));

      expect(changes).toEqual([]);
      expect(await channel('wa-1')).toEqual({ id: 'wa-1', workspace: WORKSPACE, channelType: 'whatsapp', workflowId: null, settings: {} });
      expect(await channel('web-2')).toEqual({
        id: 'web-2',
        workspace: OTHER_WORKSPACE,
        channelType: 'webchat',
        workflowId: null,
        settings: {},
      });
    });

    it('follows the workflow assigned to each channel until it is unassigned', async () => {
      await commit(on.channelCreated('web-1', 'webchat'), inOther.channelCreated('ms-2', 'messenger'));

      await commit(on.channelAssigned('web-1', 'wf-1'), inOther.channelAssigned('ms-2', 'wf-2'));
      expect(await channel('web-1')).toEqual({
        id: 'web-1',
        workspace: WORKSPACE,
        channelType: 'webchat',
        workflowId: 'wf-1',
        settings: {},
      });
      expect(await channel('ms-2')).toEqual({
        id: 'ms-2',
        workspace: OTHER_WORKSPACE,
        channelType: 'messenger',
        workflowId: 'wf-2',
        settings: {},
      });

      await commit(on.channelAssigned('web-1', 'wf-3'));
      expect(await channel('web-1')).toMatchObject({ channelType: 'webchat', workflowId: 'wf-3' });

      const changes = await commit(on.channelUnassigned('web-1', 'wf-3'));
      expect(changes).toEqual([]);
      expect(await channel('web-1')).toEqual({ id: 'web-1', workspace: WORKSPACE, channelType: 'webchat', workflowId: null, settings: {} });
      expect(await channel('ms-2')).toMatchObject({ workflowId: 'wf-2' });
    });

    it('keeps the workflow of a channel whose ChannelCreated is committed again', async () => {
      const created = on.channelCreated('wa-1', 'whatsapp');
      await commit(created, on.channelAssigned('wa-1', 'wf-1'));

      await commit(created);

      expect(await channel('wa-1')).toMatchObject({ channelType: 'whatsapp', workflowId: 'wf-1' });
    });
  });

  describe('outboxes', () => {
    it.each([
      ['a web chat channel', () => [on.channelCreated('web-1', 'webchat')], 'web-1'],
      ['a channel it never saw created', () => [], 'wa-unknown'],
    ])('owes nothing for a message sent on %s', async (_, channelEvents, channelId) => {
      await commit(...channelEvents(), on.sessionStarted('s-1', 'wf-1', STARTED_AT, channelId));

      const changes = await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT));

      expect(changes).toEqual([]);
      expect(await outbox('s-1')).toBeUndefined();
      expect(await pendingWorkIds()).toEqual([]);
    });

    it.each(['whatsapp', 'messenger'] as const)(
      'lets a message sent on a %s channel join its session’s outbox, owing its delivery when it was sent',
      async (channelType) => {
        await commit(on.channelCreated('push-1', channelType), on.sessionStarted('s-1', 'wf-1', STARTED_AT, 'push-1'));

        const changes = await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT));

        expect(changes).toEqual([deliveryOwed('s-1', SENT_AT)]);
        expect(await pendingWork(outboxWorkId('s-1'))).toEqual(delivery('s-1', SENT_AT));
        expect(await outbox('s-1')).toEqual({ id: 's-1', workspace: WORKSPACE, undelivered: ['s-1:m:1'] });
      },
    );

    it('refuses, naming the type, a message sent on a channel whose type is no longer registered', async () => {
      await commit(on.channelCreated('tg-1', 'telegram'), on.sessionStarted('s-1', 'wf-1', STARTED_AT, 'tg-1'));

      await expect(commit(on.messageSent('s-1', 's-1:m:1', SENT_AT))).rejects.toThrow(
        'No channel adapter is registered for channel type "telegram"',
      );
      expect(await outbox('s-1')).toBeUndefined();
    });

    describe('of a session on a WhatsApp channel', () => {
      beforeEach(async () => {
        await commit(on.channelCreated('wa-1', 'whatsapp'), on.sessionStarted('s-1', 'wf-1', STARTED_AT, 'wa-1'));
      });

      it('lets a second message join the outbox, in order, without owing a second delivery', async () => {
        await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT));

        const changes = await commit(on.messageSent('s-1', 's-1:m:2', DELIVERED_AT));

        expect(changes).toEqual([]);
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:1', 's-1:m:2'] });
        expect(await pendingWork(outboxWorkId('s-1'))).toMatchObject({ kind: 'delivery', dueAt: SENT_AT });
      });

      it('owes the delivery again at the retry time after a failed attempt, and lets later messages wait with it', async () => {
        await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT), on.messageSent('s-1', 's-1:m:2', SENT_AT));

        const changes = await commit(on.attemptFailed('s-1', 's-1:m:1', RETRY_AT));

        expect(changes).toEqual([deliveryOwed('s-1', RETRY_AT)]);
        expect(await pendingWork(outboxWorkId('s-1'))).toMatchObject({ kind: 'delivery', dueAt: RETRY_AT });
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:1', 's-1:m:2'] });

        expect(await commit(on.messageSent('s-1', 's-1:m:3', DELIVERED_AT))).toEqual([]);
        expect(await pendingWork(outboxWorkId('s-1'))).toMatchObject({ dueAt: RETRY_AT });
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:1', 's-1:m:2', 's-1:m:3'] });
      });

      it.each([
        ['delivered', (messageId: string) => on.delivered('s-1', messageId, DELIVERED_AT)],
        ['failed for good', (messageId: string) => on.deliveryFailed('s-1', messageId)],
      ])('takes a message %s out of the outbox, owing the rest and settling it once empty', async (_, done) => {
        await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT), on.messageSent('s-1', 's-1:m:2', SENT_AT));

        const first = done('s-1:m:1');
        const afterFirst = await commit(first);

        expect(afterFirst).toEqual([deliveryOwed('s-1', first.metadata.occurredAt)]);
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:2'] });
        expect(await pendingWork(outboxWorkId('s-1'))).toMatchObject({ dueAt: first.metadata.occurredAt });

        const afterLast = await commit(done('s-1:m:2'));

        expect(afterLast).toEqual([{ kind: 'settle', id: outboxWorkId('s-1') }]);
        expect(await outbox('s-1')).toBeUndefined();
        expect(await pendingWork(outboxWorkId('s-1'))).toBeUndefined();
      });

      it('opens the outbox anew for a message sent after it was emptied', async () => {
        await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT), on.delivered('s-1', 's-1:m:1', DELIVERED_AT));

        const changes = await commit(on.messageSent('s-1', 's-1:m:2', RETRY_AT));

        expect(changes).toEqual([deliveryOwed('s-1', RETRY_AT)]);
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:2'] });
      });

      it('ignores the outcome of a message not in the outbox', async () => {
        await commit(on.messageSent('s-1', 's-1:m:1', SENT_AT));
        const before = await wholeState();

        const changes = await commit(
          on.delivered('s-1', 's-1:m:9'),
          on.attemptFailed('s-1', 's-1:m:9', RETRY_AT),
          on.deliveryFailed('s-1', 's-1:m:9'),
          on.delivered('s-2', 's-2:m:1'),
        );

        expect(changes).toEqual([]);
        expect(await wholeState()).toEqual(before);
      });

      it.each(SESSION_END_TYPES)('still delivers the outbox of a session that ended (%s)', async (endType) => {
        await commit(on.inactivityTimer('s-1', 's-1:t:1', DUE), on.messageSent('s-1', 's-1:m:1', SENT_AT));

        const changes = await commit(on.sessionEnded(endType, 's-1'));

        expect(changes).toEqual([{ kind: 'settle', id: 's-1:t:1' }]);
        expect(await activeSession('s-1')).toBeUndefined();
        expect(await outbox('s-1')).toMatchObject({ undelivered: ['s-1:m:1'] });
        expect(await pendingWorkIds()).toEqual([outboxWorkId('s-1')]);

        expect(await commit(on.delivered('s-1', 's-1:m:1'))).toEqual([{ kind: 'settle', id: outboxWorkId('s-1') }]);
        expect(await outbox('s-1')).toBeUndefined();
        expect(await pendingWorkIds()).toEqual([]);
      });
    });
  });

  describe('other events', () => {
    it('changes nothing for events it does not follow', async () => {
      await commit(...busySession('s-1'), on.channelCreated('web-1', 'webchat'), on.channelAssigned('web-1', 'wf-1'));
      const before = await wholeState();

      const changes = await commit(
        on.other('session-s-1', 'CustomerMessageReceived', { sessionId: 's-1', messageId: 'm-1', text: 'Hi' }),
        on.other('session-s-1', 'QuestionAsked', { sessionId: 's-1', stepId: 'step-1', variable: 'name', attempt: 1 }),
        on.other('session-s-1', 'AnswerRejected', {
          sessionId: 's-1',
          stepId: 'step-1',
          messageId: 'm-1',
          attempt: 1,
          reason: 'empty',
        }),
        on.other('session-s-1', 'SessionRoutedToTeam', { sessionId: 's-1', stepId: 'step-1', team: 'sales' }),
        on.other('workflow-wf-1', 'WorkflowDeleted', { workflowId: 'wf-1', name: 'Welcome' }),
        on.other('conversation-web-1-c-1', 'MessageReceived', {
          channelId: 'web-1',
          contactId: 'c-1',
          messageId: 'm-2',
          text: 'Hi',
          receivedAt: DUE,
        }),
        on.other('webhooks-web-1', 'ChannelWebhookReceived', {
          channelId: 'web-1',
          channelType: 'webchat',
          payload: {},
          receivedAt: DUE,
        }),
        on.other('receipts-web-1', 'DeliveryReceiptReceived', { channelId: 'web-1', providerMessageId: 'p-1', status: 'read' }),
      );

      expect(changes).toEqual([]);
      expect(await wholeState()).toEqual(before);
    });
  });

  describe('redelivery', () => {
    const history = (): RecordedEvent[] => [
      on.channelCreated('web-1', 'webchat'),
      on.channelAssigned('web-1', 'wf-1'),
      ...busySession('s-1'),
      on.agentReplied('s-1', 's-1:a:1'),
      on.stepEntered('s-1'),
      on.inactivityTimer('s-1', 's-1:t:3', LATER),
      on.stepTimer('s-1', 's-1:t:4', LATER, 'question_timeout'),
      ...busySession('s-2', inOther),
      inOther.timerFired('s-2', 's-2:t:1'),
      inOther.sessionEnded('SessionExpired', 's-2'),
      on.sessionStarted('s-3'),
      on.inactivityTimer('s-3', 's-3:t:1', DUE),
      on.channelCreated('web-2', 'webchat'),
      on.channelAssigned('web-2', 'wf-2'),
      on.channelUnassigned('web-2', 'wf-2'),
      // A WhatsApp session: one message delivered after a retry, one failed for good, one still owed
      // once the session ended; and one of a second session delivered, emptying its outbox.
      on.channelCreated('wa-1', 'whatsapp'),
      on.channelAssigned('wa-1', 'wf-1'),
      on.sessionStarted('s-4', 'wf-1', STARTED_AT, 'wa-1'),
      on.messageSent('s-4', 's-4:m:1', SENT_AT),
      on.messageSent('s-4', 's-4:m:2', SENT_AT),
      on.attemptFailed('s-4', 's-4:m:1', RETRY_AT),
      on.delivered('s-4', 's-4:m:1', DELIVERED_AT),
      on.messageSent('s-4', 's-4:m:3', DELIVERED_AT),
      on.deliveryFailed('s-4', 's-4:m:2'),
      on.sessionEnded('SessionCompleted', 's-4'),
      on.sessionStarted('s-5', 'wf-1', STARTED_AT, 'wa-1'),
      on.messageSent('s-5', 's-5:m:1', SENT_AT),
      on.delivered('s-5', 's-5:m:1', DELIVERED_AT),
    ];

    it('keeps what the history leaves owed', async () => {
      await commit(...history());

      expect(await pendingWorkIds()).toEqual([outboxWorkId('s-4'), 's-1:t:3', 's-1:t:4', 's-3:t:1']);
      expect(await activeSession('s-1')).toMatchObject({ inactivityTimerId: 's-1:t:3', stepTimerId: 's-1:t:4', agentRequestId: null });
      expect(await activeSession('s-2')).toBeUndefined();
      expect(await activeSession('s-4')).toBeUndefined();
      expect(await outbox('s-4')).toEqual({ id: 's-4', workspace: WORKSPACE, undelivered: ['s-4:m:3'] });
      expect(await outbox('s-5')).toBeUndefined();
      expect(await channel('web-2')).toMatchObject({ workflowId: null });
    });

    it('returns changes that, followed in order, owe exactly the work it keeps', async () => {
      const changes = await commit(...history());

      expect(followed(changes)).toEqual(await allPendingWorkOf(store));
    });

    it('leaves the same documents when every event is committed twice in a row', async () => {
      const events = history();
      await commit(...events);
      const once = await wholeState();
      const { store: other, dispose: disposeOther } = await openTemporaryReadModelStore();
      try {
        await declareListsById(other);
        const changes = await commitToEngineState(other, ...events.flatMap((event) => [event, event]));

        expect(await wholeStateOf(other)).toEqual(once);
        expect(followed(changes)).toEqual(await allPendingWorkOf(other));
      } finally {
        await disposeOther();
      }
    });

    it.each([
      ['an inactivity timer', () => on.inactivityTimer('s-1', 't-1', DUE)],
      ['a step timer', () => on.stepTimer('s-1', 't-1', DUE)],
    ])('still owes %s whose TimerScheduled is committed a second time', async (_, scheduled) => {
      await commit(on.sessionStarted('s-1'));
      const event = scheduled();
      await commit(event);

      const changes = await commit(event);

      expect(settledIn(changes)).toEqual([]);
      expect(await pendingWork('t-1')).toMatchObject({ kind: 'timer', sessionId: 's-1', dueAt: DUE });
    });
  });
});
