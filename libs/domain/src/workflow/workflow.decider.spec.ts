import { describe, expect, it } from '@jest/globals';
import {
  InvalidDefinitionError,
  ValidationError,
  WorkflowAlreadyExistsError,
  WorkflowNotFoundError,
  WorkflowVersionConflictError,
} from '../errors.js';
import type { Decider } from '../decider.js';
import { DeciderSpecification } from '../testing/decider-specification.fixture.js';
import type { StepDefinition, WorkflowSettings } from './step.schema.js';
import {
  decideCopyWorkflow,
  foldWorkflow,
  workflowDecider,
  type CopyWorkflow,
  type WorkflowCommand,
  type WorkflowState,
} from './workflow.decider.js';
import type { WorkflowCopied, WorkflowEvent } from './workflow.events.js';

// ---- Given / When / Then ----

type AnyWorkflowCommand = WorkflowCommand | CopyWorkflow;

/** The workflow decider and copying, which is decided from the source's events (the given ones). */
const workflowOrCopy: Decider<WorkflowState, AnyWorkflowCommand, WorkflowEvent> = {
  ...workflowDecider,
  decide: (command, state) =>
    command.type === 'CopyWorkflow' ? decideCopyWorkflow(command, state) : workflowDecider.decide(command, state),
};
const { given } = DeciderSpecification.for(workflowOrCopy);

// ---- Fixtures ----

const workflowId = 'wf-1';
const workspace = 'acme';

const steps: StepDefinition[] = [
  { id: 'greet', type: 'send_message', text: 'Hello {{contact.name}}' },
  { id: 'ask', type: 'ask_question', text: 'How can we help?', variable: 'topic', next: 'handoff' },
  { id: 'handoff', type: 'route_to_team', team: 'support' },
];
const settings: WorkflowSettings = { sessionTimeoutSeconds: 3600 };

const created: WorkflowEvent = { type: 'WorkflowCreated', data: { workflowId, workspace, name: 'Welcome', version: 1 } };
const renamed = (name: string, previousName: string): WorkflowEvent => ({
  type: 'WorkflowRenamed',
  data: { workflowId, name, previousName },
});
const published = (version: number, definition = { steps, settings }): WorkflowEvent => ({
  type: 'WorkflowDefinitionPublished',
  data: { workflowId, version, ...structuredClone(definition) },
});
const deleted: WorkflowEvent = { type: 'WorkflowDeleted', data: { workflowId, name: 'Welcome' } };

const create = (name: unknown = 'Welcome'): WorkflowCommand => ({
  type: 'CreateWorkflow',
  data: { workflowId, workspace, name },
});
const rename = (name: unknown, inWorkspace = workspace): WorkflowCommand => ({
  type: 'RenameWorkflow',
  data: { workflowId, workspace: inWorkspace, name },
});
const publish = (
  data: { steps?: unknown; settings?: unknown; expectedVersion?: number } = {},
  inWorkspace = workspace,
): WorkflowCommand => ({
  type: 'PublishWorkflowDefinition',
  data: { workflowId, workspace: inWorkspace, steps, settings, ...data },
});
const remove = (inWorkspace = workspace): WorkflowCommand => ({
  type: 'DeleteWorkflow',
  data: { workflowId, workspace: inWorkspace },
});
const deactivate = (inWorkspace = workspace): WorkflowCommand => ({
  type: 'DeactivateWorkflowSessions',
  data: { workflowId, workspace: inWorkspace },
});
const copy = (name: unknown = 'Welcome (copy)', inWorkspace = workspace): CopyWorkflow => ({
  type: 'CopyWorkflow',
  data: { workflowId: 'wf-2', sourceWorkflowId: workflowId, workspace: inWorkspace, name },
});

describe('workflow decider', () => {
  describe('CreateWorkflow', () => {
    it('creates version 1 with the trimmed name', () => {
      given([])
        .when(create('  Welcome  '))
        .then([{ type: 'WorkflowCreated', data: { workflowId, workspace, name: 'Welcome', version: 1 } }]);
    });

    it('rejects an invalid name', () => {
      given([]).when(create('   ')).thenThrows(ValidationError, 'name is required');
    });

    it('rejects an id that is taken', () => {
      given([created]).when(create()).thenThrows(WorkflowAlreadyExistsError, 'Workflow wf-1 already exists');
    });

    it('rejects an id that was taken by a deleted workflow: deletion cannot be undone', () => {
      given([created, deleted]).when(create()).thenThrows(WorkflowAlreadyExistsError);
    });
  });

  describe('RenameWorkflow', () => {
    it('renames, recording the previous name', () => {
      given([created])
        .when(rename(' Greeting '))
        .then([renamed('Greeting', 'Welcome')]);
    });

    it('records the current name as the previous one after earlier renames', () => {
      given([created, renamed('Greeting', 'Welcome')])
        .when(rename('Hello'))
        .then([renamed('Hello', 'Greeting')]);
    });

    it('decides nothing when the trimmed name is unchanged', () => {
      given([created]).when(rename('  Welcome ')).then([]);
    });

    it('rejects an invalid name', () => {
      given([created])
        .when(rename('n'.repeat(121)))
        .thenThrows(ValidationError, 'name must be at most 120 characters');
    });
  });

  describe('PublishWorkflowDefinition', () => {
    it('publishes the next version with the validated definition', () => {
      given([created])
        .when(publish())
        .then([published(2)]);
    });

    it('defaults the settings to none', () => {
      given([created])
        .when(publish({ settings: undefined }))
        .then([published(2, { steps, settings: {} })]);
    });

    it('publishes a new version even when nothing changed', () => {
      given([created, published(2)])
        .when(publish())
        .then([published(3)]);
    });

    it('publishes when the expected version is the current one', () => {
      given([created, published(2)])
        .when(publish({ expectedVersion: 2 }))
        .then([published(3)]);
    });

    it('rejects a stale expected version', () => {
      given([created, published(2)])
        .when(publish({ expectedVersion: 1 }))
        .thenThrows(WorkflowVersionConflictError, 'Workflow wf-1 is at version 2, not at the expected version 1');
    });

    it('rejects an invalid definition, naming the step', () => {
      given([created])
        .when(publish({ steps: [{ id: 'greet', type: 'send_message', text: 'Hi', next: 'missing' }] }))
        .thenThrows(InvalidDefinitionError, 'steps[0].next (step "greet") points at unknown step "missing"');
    });

    it('rejects a definition with no steps, though the workflow was created with none', () => {
      given([created])
        .when(publish({ steps: [] }))
        .thenThrows(InvalidDefinitionError, 'steps must hold at least one step');
      given([created, published(2, { steps: [], settings: {} })])
        .when(publish({ steps: [] }))
        .thenThrows(InvalidDefinitionError, 'steps must hold at least one step');
    });

    it('rejects an invalid definition before a stale version: the input is wrong whatever the version', () => {
      given([created, published(2)])
        .when(publish({ steps: 'none', expectedVersion: 1 }))
        .thenThrows(InvalidDefinitionError, 'steps must be an array of steps');
    });

    it('publishes a copy of the steps it was given', () => {
      const sentSteps = structuredClone(steps);
      const [event] = workflowDecider.decide(publish({ steps: sentSteps }), foldWorkflow([created]));
      sentSteps[0] = { id: 'other', type: 'end' };
      expect(event).toEqual(published(2));
    });
  });

  describe('DeleteWorkflow', () => {
    it('deletes the workflow, recording its name', () => {
      given([created, renamed('Greeting', 'Welcome')])
        .when(remove())
        .then([{ type: 'WorkflowDeleted', data: { workflowId, name: 'Greeting' } }]);
    });
  });

  describe('DeactivateWorkflowSessions', () => {
    it('records the request, every time it is made, and leaves the workflow as it was', () => {
      const requested: WorkflowEvent = { type: 'WorkflowSessionsDeactivationRequested', data: { workflowId } };
      given([created, requested]).when(deactivate()).then([requested]);
      expect(foldWorkflow([created, published(2), requested])).toEqual(foldWorkflow([created, published(2)]));
    });
  });

  describe('every command but create answers "not found"', () => {
    const commands: [string, AnyWorkflowCommand][] = [
      ['RenameWorkflow', rename('Other')],
      ['PublishWorkflowDefinition', publish()],
      ['DeleteWorkflow', remove()],
      ['DeactivateWorkflowSessions', deactivate()],
      ['CopyWorkflow', copy()],
    ];

    it.each(commands)('%s for a workflow that was never created', (_, command) => {
      given([]).when(command).thenThrows(WorkflowNotFoundError, 'Workflow wf-1 not found');
    });

    it.each(commands)('%s for a deleted workflow', (_, command) => {
      given([created, published(2), deleted])
        .when(command)
        .thenThrows(WorkflowNotFoundError, 'Workflow wf-1 not found');
    });

    it.each([
      ['RenameWorkflow', rename('Other', 'globex')],
      ['PublishWorkflowDefinition', publish({}, 'globex')],
      ['DeleteWorkflow', remove('globex')],
      ['DeactivateWorkflowSessions', deactivate('globex')],
      ['CopyWorkflow', copy('Mine now', 'globex')],
    ] as [string, AnyWorkflowCommand][])('%s from another workspace, with the same answer as for an unknown workflow', (_, command) => {
      given([created, published(2)])
        .when(command)
        .thenThrows(WorkflowNotFoundError, 'Workflow wf-1 not found');
    });

    it('before checking the input, so that nothing about the workflow leaks', () => {
      given([created])
        .when(publish({ steps: 'invalid' }, 'globex'))
        .thenThrows(WorkflowNotFoundError);
      given([created]).when(rename('', 'globex')).thenThrows(WorkflowNotFoundError);
    });
  });

  describe('CopyWorkflow', () => {
    const copied: WorkflowCopied = {
      type: 'WorkflowCopied',
      data: {
        workflowId: 'wf-2',
        workspace,
        name: 'Welcome (copy)',
        version: 1,
        sourceWorkflowId: workflowId,
        sourceVersion: 3,
        steps,
        settings,
      },
    };

    it('copies the current steps and settings into version 1 of a new workflow, under the trimmed name', () => {
      given([created, published(2, { steps: [], settings: {} }), published(3)])
        .when(copy(' Welcome (copy) '))
        .then([copied]);
    });

    it('copies a workflow that has no steps yet', () => {
      given([created])
        .when(copy())
        .then([{ ...copied, data: { ...copied.data, sourceVersion: 1, steps: [], settings: {} } }]);
    });

    it('rejects an invalid name', () => {
      given([created]).when(copy('')).thenThrows(ValidationError, 'name is required');
    });

    it('is independent of the source: changing the copy changes nothing in the source', () => {
      const source = foldWorkflow([created, published(2)]);
      const before = structuredClone(source);
      const [event] = decideCopyWorkflow(copy(), source);
      if (event.type !== 'WorkflowCopied') throw new Error(`unexpected ${event.type}`);

      event.data.steps.push({ id: 'extra', type: 'end' });
      (event.data.steps[0] as { text: string }).text = 'Changed';
      event.data.settings.sessionTimeoutSeconds = 1;

      expect(source).toEqual(before);
    });
  });

  describe('evolve', () => {
    it('starts from the initial state', () => {
      expect(foldWorkflow([])).toEqual({ status: 'initial' });
      expect(workflowDecider.initialState()).toEqual({ status: 'initial' });
    });

    it('creates an active workflow without steps', () => {
      expect(foldWorkflow([created])).toEqual({
        status: 'active',
        workflowId,
        workspace,
        name: 'Welcome',
        version: 1,
        steps: [],
        settings: {},
      });
    });

    it('follows renames and publications', () => {
      expect(foldWorkflow([created, published(2), renamed('Greeting', 'Welcome')])).toEqual({
        status: 'active',
        workflowId,
        workspace,
        name: 'Greeting',
        version: 2,
        steps,
        settings,
      });
    });

    it('turns a copy into an active workflow, as created and published', () => {
      const copied: WorkflowEvent = {
        type: 'WorkflowCopied',
        data: { workflowId, workspace, name: 'Welcome', version: 2, sourceWorkflowId: 'wf-0', sourceVersion: 7, steps, settings },
      };
      expect(foldWorkflow([copied])).toEqual(foldWorkflow([created, published(2)]));
    });

    it('keeps what auditors need of a deleted workflow', () => {
      expect(foldWorkflow([created, published(2), deleted])).toEqual({
        status: 'deleted',
        workflowId,
        workspace,
        name: 'Welcome',
        version: 2,
      });
    });

    it('ignores changes to a workflow that is not active', () => {
      const gone = foldWorkflow([created, deleted]);
      const { evolve, initialState } = workflowDecider;
      expect(evolve(gone, renamed('Back', 'Welcome'))).toBe(gone);
      expect(evolve(gone, published(2))).toBe(gone);
      expect(evolve(gone, deleted)).toBe(gone);
      const initial = initialState();
      expect(evolve(initial, renamed('Back', 'Welcome'))).toBe(initial);
    });

    it('travels in time: a prefix of the stream gives the workflow as it was then', () => {
      const history = [created, published(2, { steps: [], settings: {} }), renamed('Greeting', 'Welcome'), published(3)];
      expect(foldWorkflow(history.slice(0, 2))).toMatchObject({ name: 'Welcome', version: 2, steps: [], settings: {} });
      expect(foldWorkflow(history)).toMatchObject({ name: 'Greeting', version: 3, steps, settings });
    });
  });
});
