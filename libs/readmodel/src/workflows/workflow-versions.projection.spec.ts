import type { WorkflowDefinition } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { applyEvents, documentsOf, expectRedeliveryToChangeNothing } from '../projection.fixture.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import { workflowEventsIn } from './workflow-events.fixture.js';
import {
  WORKFLOW_VERSION_HEADS_COLLECTION,
  WORKFLOW_VERSIONS_COLLECTION,
  type WorkflowVersionDocument,
  workflowVersionId,
  workflowVersionsProjection,
} from './workflow-versions.projection.js';

const WORKSPACE = 'acme';
const on = workflowEventsIn(WORKSPACE);
const GREETING: WorkflowDefinition = {
  steps: [{ id: 'hello', type: 'send_message', text: 'Hi {{contact.name}}' }],
  settings: {},
};
const SURVEY: WorkflowDefinition = {
  steps: [
    {
      id: 'rate',
      type: 'ask_question',
      text: 'How did we do?',
      variable: 'rating',
      answerType: 'choice',
      options: [
        { label: 'Great', value: 'great' },
        { label: 'Poor', next: 'sorry' },
      ],
    },
    { id: 'thanks', type: 'send_message', text: 'Thanks!', next: 'done' },
    { id: 'sorry', type: 'route_to_team', team: 'support' },
    { id: 'done', type: 'end' },
  ],
  settings: { sessionTimeoutSeconds: 600 },
};
const COLLECTIONS = [WORKFLOW_VERSIONS_COLLECTION, WORKFLOW_VERSION_HEADS_COLLECTION];

describe('workflow versions projection', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    // The projection is never listed; this spec lists its versions by id.
    ({ store, dispose } = await openTemporarySqliteReadModelStore([
      { collection: WORKFLOW_VERSIONS_COLLECTION, equals: [], orderBy: 'id' },
    ]));
  });

  afterEach(async () => {
    await dispose();
  });

  const project = (...events: RecordedEvent[]) => applyEvents(store, workflowVersionsProjection, events);
  const version = (workflowId: string, number: number) =>
    store.get<WorkflowVersionDocument>(WORKFLOW_VERSIONS_COLLECTION, workflowVersionId(workflowId, number));
  const state = () => documentsOf(store, WORKSPACE, COLLECTIONS);

  it('records version 1 without steps or settings when a workflow is created', async () => {
    const created = on.created('wf-1', 'Welcome');

    await project(created);

    expect(await version('wf-1', 1)).toEqual({
      id: 'wf-1:1',
      workspace: WORKSPACE,
      workflowId: 'wf-1',
      version: 1,
      steps: [],
      settings: {},
      publishedAt: created.metadata.occurredAt,
    });
  });

  it('records version 1 of a copy with the copied steps and settings', async () => {
    await project(on.created('wf-1', 'Survey'), on.published('wf-1', 2, SURVEY));
    const copied = on.copied('wf-2', 'Survey (copy)', { workflowId: 'wf-1', version: 2 }, SURVEY);

    await project(copied);

    expect(await version('wf-2', 1)).toEqual({
      id: 'wf-2:1',
      workspace: WORKSPACE,
      workflowId: 'wf-2',
      version: 1,
      ...SURVEY,
      publishedAt: copied.metadata.occurredAt,
    });
  });

  it('adds a document per publication and leaves the earlier versions as they were', async () => {
    const created = on.created('wf-1', 'Welcome');
    await project(created);
    const first = await version('wf-1', 1);
    const second = on.published('wf-1', 2, GREETING);
    const third = on.published('wf-1', 3, SURVEY);

    await project(second, third);

    expect(await version('wf-1', 1)).toEqual(first);
    expect(await version('wf-1', 2)).toMatchObject({ ...GREETING, publishedAt: second.metadata.occurredAt });
    expect(await version('wf-1', 3)).toMatchObject({ ...SURVEY, publishedAt: third.metadata.occurredAt });
  });

  it('removes every version of a deleted workflow even after an older publication came again', async () => {
    const second = on.published('wf-1', 2, GREETING);
    await project(on.created('wf-1', 'Welcome'), second, on.published('wf-1', 3, SURVEY));

    await project(second, on.deleted('wf-1', 'Welcome'));

    expect(await state()).toEqual({ [WORKFLOW_VERSIONS_COLLECTION]: [], [WORKFLOW_VERSION_HEADS_COLLECTION]: [] });
  });

  it('changes no version when a workflow is renamed', async () => {
    await project(on.created('wf-1', 'Welcome'), on.published('wf-1', 2, GREETING));
    const before = await state();

    await project(on.renamed('wf-1', 'Greeting', 'Welcome'));

    expect(await state()).toEqual(before);
  });

  it('removes every version of a deleted workflow and no other', async () => {
    await project(
      on.created('wf-1', 'Welcome'),
      on.published('wf-1', 2, GREETING),
      on.published('wf-1', 3, SURVEY),
      on.created('wf-2', 'Other'),
    );

    await project(on.deleted('wf-1', 'Welcome'));

    expect(await state()).toEqual({
      [WORKFLOW_VERSIONS_COLLECTION]: [expect.objectContaining({ id: 'wf-2:1' })],
      [WORKFLOW_VERSION_HEADS_COLLECTION]: [expect.objectContaining({ id: 'wf-2', latestVersion: 1 })],
    });
  });

  it('ignores publications and deletions of workflows it does not know, or no longer knows', async () => {
    await project(on.created('wf-1', 'Welcome'), on.deleted('wf-1', 'Welcome'));

    await project(
      on.deleted('wf-1', 'Welcome'),
      on.deleted('ghost', 'Ghost'),
      on.published('wf-1', 2, GREETING),
      on.published('ghost', 2, GREETING),
    );

    expect(await state()).toEqual({ [WORKFLOW_VERSIONS_COLLECTION]: [], [WORKFLOW_VERSION_HEADS_COLLECTION]: [] });
  });

  it('lets no other workspace publish to or delete a workflow', async () => {
    const intruder = workflowEventsIn('other-workspace');
    await project(on.created('wf-1', 'Welcome'));
    const before = await state();

    await project(intruder.published('wf-1', 2, SURVEY), intruder.deleted('wf-1', 'Welcome'));

    expect(await state()).toEqual(before);
    expect(await documentsOf(store, 'other-workspace', COLLECTIONS)).toEqual({
      [WORKFLOW_VERSIONS_COLLECTION]: [],
      [WORKFLOW_VERSION_HEADS_COLLECTION]: [],
    });
  });

  describe('redelivery', () => {
    const history = (): RecordedEvent[] => [
      on.created('wf-1', 'Welcome'),
      on.published('wf-1', 2, GREETING),
      on.renamed('wf-1', 'Greeting', 'Welcome'),
      on.published('wf-1', 3, SURVEY),
      on.copied('wf-2', 'Survey (copy)', { workflowId: 'wf-1', version: 3 }, SURVEY),
      on.created('wf-3', 'Doomed'),
      on.published('wf-3', 2, GREETING),
      on.deleted('wf-3', 'Doomed'),
    ];

    it('gives the expected versions for the history delivered once', async () => {
      await project(...history());

      const listed = await store.list<WorkflowVersionDocument>(WORKFLOW_VERSIONS_COLLECTION, {
        workspace: WORKSPACE,
        orderBy: 'id',
        limit: 10,
      });
      expect(listed.map((document) => document.id)).toEqual(['wf-2:1', 'wf-1:3', 'wf-1:2', 'wf-1:1']);
    });

    it('leaves the same documents when every event is delivered twice in a row, or the whole history again', async () => {
      await expectRedeliveryToChangeNothing(workflowVersionsProjection, history(), WORKSPACE, COLLECTIONS);
    });
  });
});
