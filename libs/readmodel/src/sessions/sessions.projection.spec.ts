import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#eventstore';
import { applyEvents, documentsOf, recordedEvent, expectRedeliveryToChangeNothing } from '../projection.fixture.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import { sessionEventsIn } from './session-events.fixture.js';
import { listSessionMessages, listWorkflowSessions } from './session-queries.js';
import { TRANSCRIPT_START, transcriptPage } from './transcript-pages.js';
import {
  CONVERSATION_MESSAGES_COLLECTION,
  CONVERSATIONS_COLLECTION,
  SESSIONS_COLLECTION,
  type SessionDocument,
  sessionsProjection,
} from './sessions.projection.js';

const WORKSPACE = 'acme';
const CHANNEL = 'webchat-1';
const CONTACT = 'contact-1';
const ALL_COLLECTIONS = [SESSIONS_COLLECTION, CONVERSATION_MESSAGES_COLLECTION, CONVERSATIONS_COLLECTION];

/** The whole transcript of one contact on one channel, oldest first, page after page. */
const listConversationMessages = async (store: ReadModelStore, workspace: string, channelId: string, contactId: string) => {
  const messages = [];
  for (let after = TRANSCRIPT_START; ;) {
    const page = await transcriptPage(store, workspace, { channelId, contactId }, { after }, 200);
    if (page.messages.length === 0) return messages;
    messages.push(...page.messages);
    after = page.next;
  }
};

describe('sessions projection', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;
  let on: ReturnType<typeof sessionEventsIn>;

  beforeEach(async () => {
    ({ store, dispose } = await openTemporarySqliteReadModelStore(sessionsProjection.indexes));
    on = sessionEventsIn(WORKSPACE);
  });

  afterEach(async () => {
    await dispose();
  });

  const project = (...events: RecordedEvent[]) => applyEvents(store, sessionsProjection, events);
  const session = (sessionId: string) => store.get<SessionDocument>(SESSIONS_COLLECTION, sessionId);
  const state = (workspace = WORKSPACE) => documentsOf(store, workspace, ALL_COLLECTIONS);
  const transcript = async (workspace = WORKSPACE, channelId = CHANNEL, contactId = CONTACT) =>
    (await listConversationMessages(store, workspace, channelId, contactId)).map(({ direction, text, sessionId }) => ({
      direction,
      text,
      sessionId,
    }));

  describe('session lifecycle', () => {
    it('creates an active session with no step and no answers when it starts', async () => {
      const started = on.started('s-1', {
        workflowVersion: 3,
        contactName: 'Ada',
        startedAt: '2024-01-01T00:00:00.500Z',
      });

      await project(started);

      expect(await session('s-1')).toEqual({
        id: 's-1',
        workspace: WORKSPACE,
        workflowId: 'wf-1',
        workflowVersion: 3,
        channelId: CHANNEL,
        contactId: CONTACT,
        contactName: 'Ada',
        status: 'active',
        currentStepId: null,
        variables: {},
        endReason: null,
        team: null,
        startedAt: '2024-01-01T00:00:00.500Z',
        endedAt: null,
        updatedAt: started.metadata.occurredAt,
        lastRevision: 0,
      });
    });

    it('has no contact name when the start gives none', async () => {
      await project(on.started('s-1'));

      expect((await session('s-1'))?.contactName).toBeNull();
    });

    it('follows the current step and keeps every accepted answer', async () => {
      const events = [
        on.started('s-1'),
        on.stepEntered('s-1', 'ask-name'),
        on.answerAccepted('s-1', 'ask-name', 'name', 'Ada'),
        on.stepEntered('s-1', 'ask-age'),
        on.answerAccepted('s-1', 'ask-age', 'age', 36),
      ];
      await project(...events);

      expect(await session('s-1')).toMatchObject({
        status: 'active',
        currentStepId: 'ask-age',
        variables: { name: 'Ada', age: 36 },
        updatedAt: events[4].metadata.occurredAt,
        lastRevision: 4,
      });
    });

    it('keeps the newer answer when a question is answered again', async () => {
      await project(
        on.started('s-1'),
        on.answerAccepted('s-1', 'ask-name', 'name', 'Ada'),
        on.answerAccepted('s-1', 'ask-name', 'name', 'Grace'),
      );

      expect((await session('s-1'))?.variables).toEqual({ name: 'Grace' });
    });

    it.each([
      ['completed with the flow finished', 'flow_finished', null],
      ['completed by routing to a team', 'routed_to_team', 'sales'],
      ['deactivated', 'deactivated', null],
      ['expired', 'expired', null],
      ['terminated', 'terminated', null],
    ] as const)('ends a session %s with that reason', async (_, endReason, team) => {
      await project(on.started('s-1'), on.stepEntered('s-1', 'hello'));
      const end =
        endReason === 'deactivated'
          ? on.ended('SessionDeactivated', 's-1', 'wf-1')
          : endReason === 'expired'
            ? on.ended('SessionExpired', 's-1', 'wf-1')
            : endReason === 'terminated'
              ? on.ended('SessionTerminated', 's-1', 'wf-1')
              : on.completed('s-1', 'wf-1', endReason, team ?? undefined);

      await project(end);

      expect(await session('s-1')).toMatchObject({
        status: 'ended',
        currentStepId: 'hello',
        endReason,
        team,
        endedAt: end.metadata.occurredAt,
        updatedAt: end.metadata.occurredAt,
        lastRevision: 2,
      });
    });

    it('keeps the first end of a session when more end events follow', async () => {
      const started = on.started('s-1');
      const completed = on.completed('s-1', 'wf-1', 'routed_to_team', 'support');
      await project(started, completed);

      await project(
        on.ended('SessionExpired', 's-1', 'wf-1'),
        on.ended('SessionDeactivated', 's-1', 'wf-1'),
        on.ended('SessionTerminated', 's-1', 'wf-1'),
      );

      expect(await session('s-1')).toMatchObject({
        status: 'ended',
        endReason: 'routed_to_team',
        team: 'support',
        endedAt: completed.metadata.occurredAt,
      });
    });

    it('ignores an earlier event of the session delivered after a later one', async () => {
      const started = on.started('s-1');
      const greeting = on.stepEntered('s-1', 'greeting');
      const firstAnswer = on.answerAccepted('s-1', 'ask-name', 'name', 'Ada');
      const question = on.stepEntered('s-1', 'ask-name');
      const secondAnswer = on.answerAccepted('s-1', 'ask-name', 'name', 'Grace');
      await project(started, greeting, firstAnswer, question, secondAnswer);

      await project(greeting, firstAnswer);

      expect(await session('s-1')).toMatchObject({
        currentStepId: 'ask-name',
        variables: { name: 'Grace' },
        updatedAt: secondAnswer.metadata.occurredAt,
        lastRevision: 4,
      });
    });

    it('does not restart a session when its start is delivered again', async () => {
      const started = on.started('s-1');
      await project(started, on.stepEntered('s-1', 'hello'), on.ended('SessionExpired', 's-1', 'wf-1'));

      await project(started);

      expect(await session('s-1')).toMatchObject({ status: 'ended', currentStepId: 'hello', endReason: 'expired' });
    });

    it('ignores events of sessions it never saw start and events it does not handle, writing nothing', async () => {
      await project(
        on.stepEntered('ghost', 'hello'),
        on.answerAccepted('ghost', 'ask', 'name', 'Ada'),
        on.sent('ghost', 'hello', { text: 'Hi' }),
        on.completed('ghost', 'wf-1', 'flow_finished'),
        on.routed(CHANNEL, CONTACT, 'never-received', 'ghost'),
        recordedEvent({ type: 'QuestionAsked', data: { sessionId: 'ghost', stepId: 'ask', variable: 'x', attempt: 1 } }, WORKSPACE),
        recordedEvent({ type: 'WorkflowRenamed', data: { workflowId: 'wf-1', name: 'New', previousName: 'Old' } }, WORKSPACE),
      );

      expect(await state()).toEqual({
        [SESSIONS_COLLECTION]: [],
        [CONVERSATION_MESSAGES_COLLECTION]: [],
        [CONVERSATIONS_COLLECTION]: [],
      });
    });
  });

  describe('transcript', () => {
    it('lists a conversation in order across inbound and outbound messages, several sent in one append', async () => {
      const received = on.received(CHANNEL, CONTACT, 'in-1', 'hi');
      const [welcome, question] = on.sentInOneAppend(
        's-1',
        'ask-size',
        { text: 'Welcome!' },
        {
          text: 'Which size?',
          choices: [
            { label: 'Small', value: 's' },
            { label: 'Large', value: 'l' },
          ],
        },
      );
      await project(received, on.routed(CHANNEL, CONTACT, 'in-1', 's-1', true), on.started('s-1'), welcome, question);
      await project(on.received(CHANNEL, CONTACT, 'in-2', 'Large'), on.routed(CHANNEL, CONTACT, 'in-2', 's-1'));
      await project(on.sent('s-1', 'thanks', { text: 'Thanks!' }));

      const messages = await listConversationMessages(store, WORKSPACE, CHANNEL, CONTACT);

      expect(messages.map(({ direction, text, sessionId, seq }) => ({ direction, text, sessionId, seq }))).toEqual([
        { direction: 'inbound', text: 'hi', sessionId: 's-1', seq: '000000000001' },
        { direction: 'outbound', text: 'Welcome!', sessionId: 's-1', seq: '000000000002' },
        { direction: 'outbound', text: 'Which size?', sessionId: 's-1', seq: '000000000003' },
        { direction: 'inbound', text: 'Large', sessionId: 's-1', seq: '000000000004' },
        { direction: 'outbound', text: 'Thanks!', sessionId: 's-1', seq: '000000000005' },
      ]);
      expect(messages[0]).toEqual({
        id: 'in-1',
        workspace: WORKSPACE,
        channelId: CHANNEL,
        contactId: CONTACT,
        conversationKey: `${CHANNEL}/${CONTACT}`,
        sessionId: 's-1',
        direction: 'inbound',
        text: 'hi',
        choices: null,
        at: received.data.receivedAt,
        seq: '000000000001',
      });
      expect(messages[2]).toMatchObject({
        id: 's-1:m:2',
        choices: [
          { label: 'Small', value: 's' },
          { label: 'Large', value: 'l' },
        ],
        at: question.recordedAt,
      });
      expect(messages[1]).toMatchObject({ choices: null, at: welcome.recordedAt });
      expect(await store.get(CONVERSATIONS_COLLECTION, `${CHANNEL}/${CONTACT}`)).toEqual({
        id: `${CHANNEL}/${CONTACT}`,
        workspace: WORKSPACE,
        channelId: CHANNEL,
        contactId: CONTACT,
        messageCount: 5,
      });
    });

    it('keeps an inbound message without a session until it is routed to one', async () => {
      await project(on.received(CHANNEL, CONTACT, 'in-1', 'hello?'));
      expect(await transcript()).toEqual([{ direction: 'inbound', text: 'hello?', sessionId: null }]);

      await project(on.routed(CHANNEL, CONTACT, 'in-1', 's-7', true));

      expect(await transcript()).toEqual([{ direction: 'inbound', text: 'hello?', sessionId: 's-7' }]);
    });

    it('does not route a message of one channel by a routing on another that reuses its id', async () => {
      await project(on.received(CHANNEL, CONTACT, 'in-1', 'hello?'));

      await project(on.routed('webchat-2', CONTACT, 'in-1', 's-7', true));

      expect(await transcript()).toEqual([{ direction: 'inbound', text: 'hello?', sessionId: null }]);
    });

    it('keeps the transcripts of different contacts and channels apart', async () => {
      await project(
        on.received(CHANNEL, CONTACT, 'in-1', 'from contact 1'),
        on.received(CHANNEL, 'contact-2', 'in-2', 'from contact 2'),
        on.received('webchat-2', CONTACT, 'in-3', 'on the other channel'),
        on.started('s-2', { contactId: 'contact-2' }),
        on.sent('s-2', 'hello', { text: 'to contact 2' }),
      );

      expect(await transcript()).toEqual([{ direction: 'inbound', text: 'from contact 1', sessionId: null }]);
      expect(await transcript(WORKSPACE, CHANNEL, 'contact-2')).toEqual([
        { direction: 'inbound', text: 'from contact 2', sessionId: null },
        { direction: 'outbound', text: 'to contact 2', sessionId: 's-2' },
      ]);
      expect(await transcript(WORKSPACE, 'webchat-2', CONTACT)).toEqual([
        { direction: 'inbound', text: 'on the other channel', sessionId: null },
      ]);
    });

    it('lists the messages of one session only, in order', async () => {
      await project(
        on.received(CHANNEL, CONTACT, 'in-1', 'hi'),
        on.routed(CHANNEL, CONTACT, 'in-1', 's-1', true),
        on.started('s-1'),
        on.sent('s-1', 'hello', { text: 'Hello from s-1' }),
        on.completed('s-1', 'wf-1', 'flow_finished'),
        on.received(CHANNEL, CONTACT, 'in-2', 'not routed yet'),
        on.received(CHANNEL, CONTACT, 'in-3', 'hi again'),
        on.routed(CHANNEL, CONTACT, 'in-3', 's-2', true),
        on.started('s-2'),
        on.sent('s-2', 'hello', { text: 'Hello from s-2' }),
      );

      const textsOf = async (sessionId: string) => (await listSessionMessages(store, WORKSPACE, sessionId)).map(({ text }) => text);

      expect(await textsOf('s-1')).toEqual(['hi', 'Hello from s-1']);
      expect(await textsOf('s-2')).toEqual(['hi again', 'Hello from s-2']);
      expect(await textsOf('s-3')).toEqual([]);
    });

    it('reads a transcript longer than one page of the store, oldest first', async () => {
      const texts = Array.from({ length: 1_001 }, (_, index) => `message ${index + 1}`);
      await project(
        ...texts.flatMap((text, index) => [
          on.received(CHANNEL, CONTACT, `in-${index + 1}`, text),
          on.routed(CHANNEL, CONTACT, `in-${index + 1}`, 's-1', index === 0),
        ]),
      );

      const conversation = await listConversationMessages(store, WORKSPACE, CHANNEL, CONTACT);
      const ofSession = await listSessionMessages(store, WORKSPACE, 's-1');

      expect(conversation.map(({ text }) => text)).toEqual(texts);
      expect(ofSession.map(({ text }) => text)).toEqual(texts);
    });

    it('does not add a message twice nor move the transcript when it is delivered again', async () => {
      const received = on.received(CHANNEL, CONTACT, 'in-1', 'hi');
      const sent = on.sent('s-1', 'hello', { text: 'Hello' });
      await project(received, on.started('s-1'), sent);

      await project(received, sent, received);

      expect(await transcript()).toEqual([
        { direction: 'inbound', text: 'hi', sessionId: null },
        { direction: 'outbound', text: 'Hello', sessionId: 's-1' },
      ]);
      expect(await store.get(CONVERSATIONS_COLLECTION, `${CHANNEL}/${CONTACT}`)).toMatchObject({ messageCount: 2 });
    });
  });

  describe('workspaces', () => {
    const intruder = () => sessionEventsIn('other-workspace');

    it('lets no other workspace change a session or its transcript', async () => {
      await project(on.received(CHANNEL, CONTACT, 'in-1', 'hi'), on.started('s-1'), on.sent('s-1', 'hello', { text: 'Hello' }));
      const before = await state();
      const other = intruder();
      // Revisions above ours, so only the workspace can keep them out.
      await project(
        other.started('s-1', { workflowId: 'wf-9' }),
        other.stepEntered('s-1', 'hijacked'),
        other.stepEntered('s-1', 'hijacked'),
        other.answerAccepted('s-1', 'ask', 'name', 'Mallory'),
        other.sent('s-1', 'hello', { text: 'Hijacked' }),
        other.ended('SessionTerminated', 's-1', 'wf-9'),
        other.received(CHANNEL, CONTACT, 'in-1', 'overwritten'),
        other.received(CHANNEL, CONTACT, 'in-2', 'slipped in'),
        other.routed(CHANNEL, CONTACT, 'in-1', 's-666'),
      );

      expect(await state()).toEqual(before);
      expect(await state('other-workspace')).toEqual({
        [SESSIONS_COLLECTION]: [],
        [CONVERSATION_MESSAGES_COLLECTION]: [],
        [CONVERSATIONS_COLLECTION]: [],
      });
    });

    it('shows nothing of one workspace to the queries of another', async () => {
      await project(
        on.received(CHANNEL, CONTACT, 'in-1', 'hi'),
        on.routed(CHANNEL, CONTACT, 'in-1', 's-1', true),
        on.started('s-1'),
        on.sent('s-1', 'hello', { text: 'Hello' }),
      );
      expect(await listConversationMessages(store, WORKSPACE, CHANNEL, CONTACT)).toHaveLength(2);

      expect(await listConversationMessages(store, 'other-workspace', CHANNEL, CONTACT)).toEqual([]);
      expect(await listSessionMessages(store, 'other-workspace', 's-1')).toEqual([]);
      expect(await listWorkflowSessions(store, 'other-workspace', 'wf-1', undefined, { limit: 10 })).toEqual([]);
    });
  });

  describe('sessions of a workflow', () => {
    const idsOf = (sessions: SessionDocument[]) => sessions.map(({ id }) => id);

    beforeEach(async () => {
      // Started in an order that is neither the order of their ids nor its reverse.
      await project(
        on.started('s-b', { startedAt: '2024-03-01T10:00:00.000Z' }),
        on.started('s-d', { startedAt: '2024-03-01T11:00:00.000Z' }),
        on.started('s-a', { startedAt: '2024-03-01T12:00:00.000Z' }),
        on.started('s-c', { startedAt: '2024-03-01T13:00:00.000Z' }),
        on.started('s-other', { workflowId: 'wf-2', startedAt: '2024-03-01T14:00:00.000Z' }),
        on.completed('s-d', 'wf-1', 'flow_finished'),
        on.ended('SessionExpired', 's-a', 'wf-1'),
      );
    });

    it('lists every session of the workflow, newest start first', async () => {
      const sessions = await listWorkflowSessions(store, WORKSPACE, 'wf-1', undefined, { limit: 10 });

      expect(idsOf(sessions)).toEqual(['s-c', 's-a', 's-d', 's-b']);
    });

    it('lists only the sessions with the status asked for', async () => {
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', 'active', { limit: 10 }))).toEqual(['s-c', 's-b']);
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', 'ended', { limit: 10 }))).toEqual(['s-a', 's-d']);
    });

    it('lists no more than the limit, the newest ones', async () => {
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', undefined, { limit: 2 }))).toEqual(['s-c', 's-a']);
    });

    it('goes on before where a page stopped, with or without a status', async () => {
      const before = { value: '2024-03-01T12:00:00.000Z', id: 's-a' };
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', undefined, { limit: 10, before }))).toEqual(['s-d', 's-b']);
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', 'ended', { limit: 10, before }))).toEqual(['s-d']);
      expect(idsOf(await listWorkflowSessions(store, WORKSPACE, 'wf-1', 'active', { limit: 1, before }))).toEqual(['s-b']);
    });
  });

  describe('redelivery', () => {
    const history = (): RecordedEvent[] => {
      const [welcome, question] = on.sentInOneAppend(
        's-1',
        'ask-size',
        { text: 'Welcome!' },
        { text: 'Which size?', choices: [{ label: 'Small', value: 's' }] },
      );
      return [
        on.received(CHANNEL, CONTACT, 'in-1', 'hi'),
        on.routed(CHANNEL, CONTACT, 'in-1', 's-1', true),
        on.started('s-1', { contactName: 'Ada' }),
        on.stepEntered('s-1', 'welcome'),
        welcome,
        on.stepEntered('s-1', 'ask-size'),
        question,
        on.received(CHANNEL, CONTACT, 'in-2', 's'),
        on.routed(CHANNEL, CONTACT, 'in-2', 's-1'),
        on.answerAccepted('s-1', 'ask-size', 'size', 's'),
        on.stepEntered('s-1', 'ask-count'),
        on.answerAccepted('s-1', 'ask-count', 'count', 2),
        on.completed('s-1', 'wf-1', 'routed_to_team', 'sales'),
        on.ended('SessionExpired', 's-1', 'wf-1'),
        on.received(CHANNEL, CONTACT, 'in-3', 'again'),
        on.routed(CHANNEL, CONTACT, 'in-3', 's-2', true),
        on.started('s-2'),
        on.sent('s-2', 'hello', { text: 'Hello again' }),
        on.ended('SessionDeactivated', 's-2', 'wf-1'),
        on.received(CHANNEL, 'contact-2', 'in-4', 'unrouted'),
      ];
    };

    it('gives the expected sessions and transcript for the history delivered once', async () => {
      await project(...history());

      expect(await session('s-1')).toMatchObject({
        status: 'ended',
        currentStepId: 'ask-count',
        variables: { size: 's', count: 2 },
        endReason: 'routed_to_team',
        team: 'sales',
      });
      expect(await session('s-2')).toMatchObject({ status: 'ended', endReason: 'deactivated' });
      expect(await transcript()).toEqual([
        { direction: 'inbound', text: 'hi', sessionId: 's-1' },
        { direction: 'outbound', text: 'Welcome!', sessionId: 's-1' },
        { direction: 'outbound', text: 'Which size?', sessionId: 's-1' },
        { direction: 'inbound', text: 's', sessionId: 's-1' },
        { direction: 'inbound', text: 'again', sessionId: 's-2' },
        { direction: 'outbound', text: 'Hello again', sessionId: 's-2' },
      ]);
    });

    it('leaves the same documents when every event is delivered twice in a row, or the whole history again', async () => {
      await expectRedeliveryToChangeNothing(sessionsProjection, history(), WORKSPACE, ALL_COLLECTIONS);
    });
  });
});
