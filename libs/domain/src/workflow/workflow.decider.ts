/**
 * The workflow stream's decider: `decideWorkflow(command, state)` turns a command into events,
 * `evolveWorkflow(state, event)` folds an event into the state. Both are pure; the caller loads
 * the stream, adds event ids and metadata, and appends with the expected revision.
 *
 * Checks run in the same order for every command: the workflow must exist in the caller's
 * workspace (404), then the input must be valid (400), then the caller's view must be current (409).
 */
import type { Decider } from '../decider.js';
import { WorkflowAlreadyExistsError, WorkflowNotFoundError, WorkflowVersionConflictError } from '../errors.js';
import { validateDefinition, type StepDefinition, type WorkflowSettings } from './step.schema.js';
import { normalizeWorkflowName } from './workflow-name.js';
import type { WorkflowEvent } from './workflow.events.js';

export interface ActiveWorkflow {
  status: 'active';
  workflowId: string;
  workspace: string;
  name: string;
  version: number;
  steps: StepDefinition[];
  settings: WorkflowSettings;
}

/** Kept so that auditors can see what was deleted; to everyone else it does not exist. */
export interface DeletedWorkflow {
  status: 'deleted';
  workflowId: string;
  workspace: string;
  name: string;
  version: number;
}

export type WorkflowState = { status: 'initial' } | ActiveWorkflow | DeletedWorkflow;

const initialWorkflowState: WorkflowState = { status: 'initial' };

/** Names arrive as the caller sent them: the decider normalizes them, or rejects them. */
export interface CreateWorkflow {
  type: 'CreateWorkflow';
  data: { workflowId: string; workspace: string; name: unknown };
}

export interface RenameWorkflow {
  type: 'RenameWorkflow';
  data: { workflowId: string; workspace: string; name: unknown };
}

/** `steps` and `settings` arrive as the caller sent them: the decider validates them. */
export interface PublishWorkflowDefinition {
  type: 'PublishWorkflowDefinition';
  data: {
    workflowId: string;
    workspace: string;
    steps: unknown;
    settings?: unknown;
    /** The version the caller edited; when given, publishing fails unless it is still the newest. */
    expectedVersion?: number;
  };
}

export interface DeleteWorkflow {
  type: 'DeleteWorkflow';
  data: { workflowId: string; workspace: string };
}

export interface DeactivateWorkflowSessions {
  type: 'DeactivateWorkflowSessions';
  data: { workflowId: string; workspace: string };
}

export type WorkflowCommand = CreateWorkflow | RenameWorkflow | PublishWorkflowDefinition | DeleteWorkflow | DeactivateWorkflowSessions;

/** Decided from the source's state; the events go to the new workflow's stream. */
export interface CopyWorkflow {
  type: 'CopyWorkflow';
  data: { workflowId: string; sourceWorkflowId: string; workspace: string; name: unknown };
}

function decideWorkflow(command: WorkflowCommand, state: WorkflowState): WorkflowEvent[] {
  switch (command.type) {
    case 'CreateWorkflow':
      return createWorkflow(command.data, state);
    case 'RenameWorkflow':
      return renameWorkflow(command.data, requireWorkflow(state, command.data));
    case 'PublishWorkflowDefinition':
      return publishDefinition(command.data, requireWorkflow(state, command.data));
    case 'DeleteWorkflow': {
      const { workflowId, name } = requireWorkflow(state, command.data);
      return [{ type: 'WorkflowDeleted', data: { workflowId, name } }];
    }
    case 'DeactivateWorkflowSessions': {
      // Recorded even when no session is active: the engine, not the workflow, knows which are.
      const { workflowId } = requireWorkflow(state, command.data);
      return [{ type: 'WorkflowSessionsDeactivationRequested', data: { workflowId } }];
    }
  }
}

/** The copy starts at version 1 with its own copies of the source's steps and settings. */
export function decideCopyWorkflow(command: CopyWorkflow, sourceState: WorkflowState): WorkflowEvent[] {
  const { workflowId, sourceWorkflowId, workspace } = command.data;
  const source = requireWorkflow(sourceState, { workflowId: sourceWorkflowId, workspace });
  const name = normalizeWorkflowName(command.data.name);
  const { version: sourceVersion, steps, settings } = structuredClone(source);
  return [
    {
      type: 'WorkflowCopied',
      data: { workflowId, workspace, name, version: 1, sourceWorkflowId, sourceVersion, steps, settings },
    },
  ];
}

function evolveWorkflow(state: WorkflowState, event: WorkflowEvent): WorkflowState {
  switch (event.type) {
    case 'WorkflowCreated': {
      const { workflowId, workspace, name, version } = event.data;
      return { status: 'active', workflowId, workspace, name, version, steps: [], settings: {} };
    }
    case 'WorkflowCopied': {
      const { workflowId, workspace, name, version, steps, settings } = event.data;
      return { status: 'active', workflowId, workspace, name, version, steps, settings };
    }
    case 'WorkflowRenamed':
      return state.status === 'active' ? { ...state, name: event.data.name } : state;
    case 'WorkflowDefinitionPublished': {
      if (state.status !== 'active') return state;
      const { version, steps, settings } = event.data;
      return { ...state, version, steps, settings };
    }
    case 'WorkflowDeleted': {
      if (state.status !== 'active') return state;
      const { workflowId, workspace, name, version } = state;
      return { status: 'deleted', workflowId, workspace, name, version };
    }
    case 'WorkflowSessionsDeactivationRequested':
      return state;
  }
}

/** Copying is not one of its commands: a copy is decided from the source's state (`decideCopyWorkflow`). */
export const workflowDecider: Decider<WorkflowState, WorkflowCommand, WorkflowEvent> = {
  decide: decideWorkflow,
  evolve: evolveWorkflow,
  initialState: () => initialWorkflowState,
};

/** The state after the given events, e.g. a prefix of the stream to see the workflow as it was then. */
export const foldWorkflow = (events: readonly WorkflowEvent[]): WorkflowState => events.reduce(evolveWorkflow, initialWorkflowState);

/** The workflow, if the caller may see it: deleted ones and other workspaces' ones are not found. */
function requireWorkflow(state: WorkflowState, { workflowId, workspace }: { workflowId: string; workspace: string }): ActiveWorkflow {
  if (state.status !== 'active' || state.workflowId !== workflowId || state.workspace !== workspace) {
    throw new WorkflowNotFoundError(workflowId);
  }
  return state;
}

function createWorkflow({ workflowId, workspace, name }: CreateWorkflow['data'], state: WorkflowState): WorkflowEvent[] {
  if (state.status !== 'initial') throw new WorkflowAlreadyExistsError(workflowId);
  return [{ type: 'WorkflowCreated', data: { workflowId, workspace, name: normalizeWorkflowName(name), version: 1 } }];
}

function renameWorkflow({ name }: RenameWorkflow['data'], workflow: ActiveWorkflow): WorkflowEvent[] {
  const newName = normalizeWorkflowName(name);
  if (newName === workflow.name) return [];
  const { workflowId, name: previousName } = workflow;
  return [{ type: 'WorkflowRenamed', data: { workflowId, name: newName, previousName } }];
}

/** Every publish makes a new version, even when nothing changed: the version counts what admins did. */
function publishDefinition(
  { steps, settings, expectedVersion }: PublishWorkflowDefinition['data'],
  workflow: ActiveWorkflow,
): WorkflowEvent[] {
  const definition = validateDefinition(steps, settings);
  if (expectedVersion !== undefined && expectedVersion !== workflow.version) {
    throw new WorkflowVersionConflictError(workflow.workflowId, expectedVersion, workflow.version);
  }
  return [
    {
      type: 'WorkflowDefinitionPublished',
      data: { workflowId: workflow.workflowId, version: workflow.version + 1, ...definition },
    },
  ];
}
