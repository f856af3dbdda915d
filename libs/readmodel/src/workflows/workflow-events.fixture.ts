import type {
  SessionEnded,
  SessionStarted,
  WorkflowCopied,
  WorkflowCreated,
  WorkflowDefinition,
  WorkflowDefinitionPublished,
  WorkflowDeleted,
  WorkflowRenamed,
} from '#domain';
import type { RecordedEvent } from '#eventstore';
import { recordedEvent } from '../projection.fixture.js';

/** Builders of recorded workflow and session events, all in one workspace. */
export function workflowEventsIn(workspace: string) {
  const record = <Event extends { type: string; data: unknown }>(event: Event): RecordedEvent => recordedEvent(event, workspace);

  return {
    created: (workflowId: string, name: string) =>
      record<WorkflowCreated>({ type: 'WorkflowCreated', data: { workflowId, workspace, name, version: 1 } }),

    copied: (workflowId: string, name: string, source: { workflowId: string; version: number }, definition: WorkflowDefinition) =>
      record<WorkflowCopied>({
        type: 'WorkflowCopied',
        data: {
          workflowId,
          workspace,
          name,
          version: 1,
          sourceWorkflowId: source.workflowId,
          sourceVersion: source.version,
          ...definition,
        },
      }),

    renamed: (workflowId: string, name: string, previousName: string) =>
      record<WorkflowRenamed>({ type: 'WorkflowRenamed', data: { workflowId, name, previousName } }),

    published: (workflowId: string, version: number, definition: WorkflowDefinition) =>
      record<WorkflowDefinitionPublished>({
        type: 'WorkflowDefinitionPublished',
        data: { workflowId, version, ...definition },
      }),

    deleted: (workflowId: string, name: string) => record<WorkflowDeleted>({ type: 'WorkflowDeleted', data: { workflowId, name } }),

    sessionStarted: (sessionId: string, workflowId: string, workflowVersion = 1) =>
      record<SessionStarted>({
        type: 'SessionStarted',
        data: {
          sessionId,
          workflowId,
          workflowVersion,
          workspace,
          channelId: 'webchat-1',
          contactId: `contact-${sessionId}`,
          steps: [],
          settings: {},
          startedAt: '2024-01-01T00:00:00.000Z',
        },
      }),

    sessionEnded: (type: SessionEnded['type'], sessionId: string, workflowId: string) =>
      record<SessionEnded>(
        type === 'SessionCompleted'
          ? { type, data: { sessionId, workflowId, reason: 'flow_finished' } }
          : { type, data: { sessionId, workflowId } },
      ),
  };
}
