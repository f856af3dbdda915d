/**
 * Reading a workflow's past: one line per event for people, and which events make up the
 * workflow as it was at a given version. Pure, like the decider whose events it reads.
 */
import { workflowDecider, type WorkflowState } from './workflow.decider.js';
import type { WorkflowEvent } from './workflow.events.js';

const WORKFLOW_EVENT_TYPES: ReadonlySet<string> = new Set<WorkflowEvent['type']>([
  'WorkflowCreated',
  'WorkflowCopied',
  'WorkflowRenamed',
  'WorkflowDefinitionPublished',
  'WorkflowDeleted',
  'WorkflowSessionsDeactivationRequested',
]);

/** True for the event types this code can fold; a stream read from storage is typed loosely. */
export const isWorkflowEvent = <Event extends { type: string; data: object }>(event: Event): event is Event & WorkflowEvent =>
  WORKFLOW_EVENT_TYPES.has(event.type);

const quoted = (name: string): string => JSON.stringify(name);

const countOf = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A one-line, human-readable account of what the event changed. */
export function describeWorkflowEvent(event: WorkflowEvent): string {
  switch (event.type) {
    case 'WorkflowCreated':
      return `Created ${quoted(event.data.name)}`;
    case 'WorkflowCopied': {
      const { sourceWorkflowId, sourceVersion, name } = event.data;
      return `Copied from workflow ${sourceWorkflowId} version ${sourceVersion} as ${quoted(name)}`;
    }
    case 'WorkflowRenamed':
      return `Renamed from ${quoted(event.data.previousName)} to ${quoted(event.data.name)}`;
    case 'WorkflowDefinitionPublished':
      return `Published version ${event.data.version} (${countOf(event.data.steps.length, 'step')})`;
    case 'WorkflowDeleted':
      return `Deleted ${quoted(event.data.name)}`;
    case 'WorkflowSessionsDeactivationRequested':
      return 'Asked to deactivate every active session';
  }
}

const isLiveAt = (state: WorkflowState, version: number): boolean => state.status === 'active' && state.version === version;

/**
 * How many of the stream's first events make up the workflow as it was while `version` was its
 * current version: up to, not including, the event that publishes the next version or deletes
 * it (a deleted workflow keeps no steps, so stopping there shows what version N really was).
 * Undefined when the workflow never had that version.
 */
export function historyLengthAtVersion(events: readonly WorkflowEvent[], version: number): number | undefined {
  let state = workflowDecider.initialState();
  let length: number | undefined;
  for (const [index, event] of events.entries()) {
    state = workflowDecider.evolve(state, event);
    if (isLiveAt(state, version)) length = index + 1;
    else if (length !== undefined) break;
  }
  return length;
}
