import type { WorkflowDefinition } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { applyEvents, documentsOf, recordedEvent, expectRedeliveryToChangeNothing } from '../projection.fixture.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import {
  WORKFLOW_CARD_SESSIONS_COLLECTION,
  WORKFLOW_CARDS_COLLECTION,
  type WorkflowCard,
  workflowCardsProjection,
} from './workflow-cards.projection.js';
import { workflowEventsIn } from './workflow-events.fixture.js';

const WORKSPACE = 'acme';
const on = workflowEventsIn(WORKSPACE);
const GREETING: WorkflowDefinition = {
  steps: [{ id: 'hello', type: 'send_message', text: 'Hi {{contact.name}}' }],
  settings: {},
};

describe('workflow cards projection', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await openTemporarySqliteReadModelStore(workflowCardsProjection.indexes));
  });

  afterEach(async () => {
    await dispose();
  });

  const project = (...events: RecordedEvent[]) => applyEvents(store, workflowCardsProjection, events);
  const card = (workflowId: string) => store.get<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, workflowId);
  const state = () => documentsOf(store, WORKSPACE, [WORKFLOW_CARDS_COLLECTION, WORKFLOW_CARD_SESSIONS_COLLECTION]);
  const activeSessions = async (workflowId: string) => (await card(workflowId))?.activeSessions;

  describe('workflow lifecycle', () => {
    it('creates a card without sessions when a workflow is created', async () => {
      const created = on.created('wf-1', 'Welcome');

      await project(created);

      expect(await card('wf-1')).toEqual({
        id: 'wf-1',
        workspace: WORKSPACE,
        name: 'Welcome',
        version: 1,
        activeSessions: 0,
        createdAt: created.metadata.occurredAt,
        updatedAt: created.metadata.occurredAt,
      });
    });

    it('creates an independent card without sessions for a copy', async () => {
      await project(on.created('wf-1', 'Welcome'), on.published('wf-1', 2, GREETING), on.sessionStarted('s-1', 'wf-1'));
      const copied = on.copied('wf-2', 'Welcome (copy)', { workflowId: 'wf-1', version: 2 }, GREETING);

      await project(copied);

      expect(await card('wf-2')).toEqual({
        id: 'wf-2',
        workspace: WORKSPACE,
        name: 'Welcome (copy)',
        version: 1,
        activeSessions: 0,
        createdAt: copied.metadata.occurredAt,
        updatedAt: copied.metadata.occurredAt,
      });
      expect(await activeSessions('wf-1')).toBe(1);
    });

    it('takes the new name on a rename and the new version on a publication', async () => {
      const created = on.created('wf-1', 'Welcome');
      const renamed = on.renamed('wf-1', 'Greeting', 'Welcome');
      await project(created, renamed);
      expect(await card('wf-1')).toMatchObject({
        name: 'Greeting',
        version: 1,
        updatedAt: renamed.metadata.occurredAt,
      });

      const published = on.published('wf-1', 2, GREETING);
      await project(published);

      expect(await card('wf-1')).toMatchObject({
        name: 'Greeting',
        version: 2,
        createdAt: created.metadata.occurredAt,
        updatedAt: published.metadata.occurredAt,
      });
    });

    it('keeps the newest version when an older publication is delivered again', async () => {
      const created = on.created('wf-1', 'Welcome');
      const second = on.published('wf-1', 2, GREETING);
      const third = on.published('wf-1', 3, GREETING);
      await project(created, second, third);

      await project(second);

      expect(await card('wf-1')).toMatchObject({ version: 3, updatedAt: third.metadata.occurredAt });
    });

    it('removes the card of a deleted workflow and ignores what comes after for it', async () => {
      await project(on.created('wf-1', 'Welcome'), on.created('wf-2', 'Other'), on.sessionStarted('s-1', 'wf-1'));

      await project(
        on.deleted('wf-1', 'Welcome'),
        on.sessionEnded('SessionTerminated', 's-1', 'wf-1'),
        on.sessionStarted('s-2', 'wf-1'),
        on.renamed('wf-1', 'Back', 'Welcome'),
        on.published('wf-1', 2, GREETING),
      );

      expect(await card('wf-1')).toBeUndefined();
      expect(await state()).toEqual({
        [WORKFLOW_CARDS_COLLECTION]: [expect.objectContaining({ id: 'wf-2' })],
        [WORKFLOW_CARD_SESSIONS_COLLECTION]: [expect.objectContaining({ id: 's-1', status: 'ended' })],
      });
    });

    it('ignores events about workflows and sessions it never saw, writing nothing', async () => {
      await project(
        on.renamed('ghost', 'Name', 'Old'),
        on.published('ghost', 2, GREETING),
        on.deleted('ghost', 'Name'),
        on.sessionStarted('s-1', 'ghost'),
        on.sessionEnded('SessionCompleted', 's-2', 'ghost'),
        recordedEvent({ type: 'MessageReceived', data: { text: 'hello' } }, WORKSPACE),
      );

      expect(await state()).toEqual({
        [WORKFLOW_CARDS_COLLECTION]: [],
        [WORKFLOW_CARD_SESSIONS_COLLECTION]: [],
      });
    });
  });

  describe('active sessions', () => {
    beforeEach(async () => {
      await project(on.created('wf-1', 'Welcome'), on.created('wf-2', 'Other'));
    });

    it('counts started sessions until each ends, whichever way it ends', async () => {
      await project(...['s-1', 's-2', 's-3', 's-4', 's-5'].map((session) => on.sessionStarted(session, 'wf-1')));
      expect(await activeSessions('wf-1')).toBe(5);

      await project(
        on.sessionEnded('SessionCompleted', 's-1', 'wf-1'),
        on.sessionEnded('SessionDeactivated', 's-2', 'wf-1'),
        on.sessionEnded('SessionExpired', 's-3', 'wf-1'),
        on.sessionEnded('SessionTerminated', 's-4', 'wf-1'),
      );

      expect(await activeSessions('wf-1')).toBe(1);
    });

    it('ends a session once, however many end events follow', async () => {
      await project(on.sessionStarted('s-1', 'wf-1'), on.sessionStarted('s-2', 'wf-1'));

      await project(
        on.sessionEnded('SessionCompleted', 's-1', 'wf-1'),
        on.sessionEnded('SessionExpired', 's-1', 'wf-1'),
        on.sessionEnded('SessionTerminated', 's-1', 'wf-1'),
      );

      expect(await activeSessions('wf-1')).toBe(1);
    });

    it('does not count a start delivered again, even after its session ended', async () => {
      const started = on.sessionStarted('s-1', 'wf-1');
      await project(started, started);
      expect(await activeSessions('wf-1')).toBe(1);

      await project(on.sessionEnded('SessionDeactivated', 's-1', 'wf-1'), started);

      expect(await activeSessions('wf-1')).toBe(0);
    });

    it('ignores an end event of a session it never saw start', async () => {
      await project(on.sessionStarted('s-1', 'wf-1'), on.sessionEnded('SessionCompleted', 's-unknown', 'wf-1'));

      expect(await activeSessions('wf-1')).toBe(1);
    });

    it('counts each session on its own workflow only', async () => {
      await project(on.sessionStarted('s-1', 'wf-1'), on.sessionStarted('s-2', 'wf-2'), on.sessionStarted('s-3', 'wf-2'));
      await project(on.sessionEnded('SessionCompleted', 's-2', 'wf-2'));

      expect(await activeSessions('wf-1')).toBe(1);
      expect(await activeSessions('wf-2')).toBe(1);
    });

    it('lets no other workspace start or end sessions on a card', async () => {
      const intruder = workflowEventsIn('other-workspace');
      await project(on.sessionStarted('s-1', 'wf-1'));

      await project(
        intruder.sessionStarted('s-2', 'wf-1'),
        intruder.sessionEnded('SessionCompleted', 's-1', 'wf-1'),
        intruder.renamed('wf-1', 'Hijacked', 'Welcome'),
        intruder.deleted('wf-1', 'Welcome'),
      );

      expect(await card('wf-1')).toMatchObject({ name: 'Welcome', activeSessions: 1 });
      expect(await store.get(WORKFLOW_CARD_SESSIONS_COLLECTION, 's-2')).toBeUndefined();
      await project(on.sessionEnded('SessionCompleted', 's-1', 'wf-1'));
      expect(await activeSessions('wf-1')).toBe(0);
    });

    it('does not reset the count when the creation is delivered again', async () => {
      const created = on.created('wf-3', 'Third');
      await project(created, on.sessionStarted('s-1', 'wf-3'));

      await project(created);

      expect(await card('wf-3')).toMatchObject({ name: 'Third', activeSessions: 1 });
    });
  });

  describe('redelivery', () => {
    const history = (): RecordedEvent[] => [
      on.created('wf-1', 'Welcome'),
      on.renamed('wf-1', 'Greeting', 'Welcome'),
      on.published('wf-1', 2, GREETING),
      on.copied('wf-2', 'Greeting (copy)', { workflowId: 'wf-1', version: 2 }, GREETING),
      ...['s-1', 's-2', 's-3', 's-4', 's-5'].map((session) => on.sessionStarted(session, 'wf-1')),
      on.sessionStarted('s-6', 'wf-2'),
      on.sessionStarted('s-7', 'wf-2'),
      on.sessionEnded('SessionCompleted', 's-1', 'wf-1'),
      on.sessionEnded('SessionDeactivated', 's-2', 'wf-1'),
      on.sessionEnded('SessionExpired', 's-3', 'wf-1'),
      on.sessionEnded('SessionCompleted', 's-6', 'wf-2'),
      on.created('wf-3', 'Doomed'),
      on.sessionStarted('s-8', 'wf-3'),
      on.deleted('wf-3', 'Doomed'),
      on.sessionEnded('SessionTerminated', 's-8', 'wf-3'),
    ];

    it('gives the expected cards for the history delivered once', async () => {
      await project(...history());

      const cards = await store.list<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, {
        workspace: WORKSPACE,
        orderBy: 'createdAt',
        limit: 10,
      });
      expect(cards.map(({ id, name, version, activeSessions }) => ({ id, name, version, activeSessions }))).toEqual([
        { id: 'wf-2', name: 'Greeting (copy)', version: 1, activeSessions: 1 },
        { id: 'wf-1', name: 'Greeting', version: 2, activeSessions: 2 },
      ]);
    });

    it('leaves the same documents when every event is delivered twice in a row, or the whole history again', async () => {
      await expectRedeliveryToChangeNothing(workflowCardsProjection, history(), WORKSPACE, [
        WORKFLOW_CARDS_COLLECTION,
        WORKFLOW_CARD_SESSIONS_COLLECTION,
      ]);
    });
  });
});
