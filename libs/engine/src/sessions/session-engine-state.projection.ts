/**
 * The session engine's own state, kept from the log beside its checkpoint (never shown to users):
 * which sessions of each workflow are active and which channels have which workflow — to end
 * them all or unassign them all — and the work the engine still owes: timers to fire and AI
 * agent requests to answer, so that a restart takes them up again.
 */
import type { ChannelEvent, SessionEvent, WorkflowEvent } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type ProjectionTransaction, type ReadModelDocument, type Recorded, recordedEventsOf } from '#readmodel';

export const SESSION_ENGINE_PROJECTION = 'session-engine';
export const ENGINE_ACTIVE_SESSIONS_COLLECTION = 'engine-active-sessions';
export const ENGINE_CHANNEL_WORKFLOWS_COLLECTION = 'engine-channel-workflows';
export const ENGINE_PENDING_WORK_COLLECTION = 'engine-pending-work';
/**
 * Pending work is loaded as a whole at start, across workspaces; its documents sit in this one
 * scope. The workspace a piece of work belongs to is in its `sessionWorkspace`.
 */
export const ENGINE_SCOPE = '~session-engine';

/** An active session; the ids of the work it has pending, so that ending it cancels that work. */
export interface EngineActiveSession extends ReadModelDocument {
  workflowId: string;
  startedAt: string;
  inactivityTimerId: string | null;
  stepTimerId: string | null;
  agentRequestId: string | null;
}

export interface EngineChannelWorkflow extends ReadModelDocument {
  workflowId: string;
}

/** `id` is the timer id or the agent request id. */
export type PendingWork = ReadModelDocument & {
  sessionId: string;
  sessionWorkspace: string;
  /** When to do it: a timer's due time, an agent request's time of asking. */
  dueAt: string;
} & ({ kind: 'timer' } | { kind: 'agent_request' });

type EngineEvent = SessionEvent | Extract<ChannelEvent, { type: 'ChannelWorkflowAssigned' | 'ChannelWorkflowUnassigned' }>;

/** The session events that make, settle or cancel owed work: the scheduler follows the same ones. */
export const OWED_WORK_EVENT_TYPES = [
  'TimerScheduled',
  'TimerFired',
  'AgentInvoked',
  'AgentReplied',
  'AgentFailed',
  'SessionCompleted',
  'SessionDeactivated',
  'SessionExpired',
  'SessionTerminated',
] as const satisfies readonly SessionEvent['type'][];

const handledEvent = recordedEventsOf<EngineEvent>(
  'SessionStarted',
  'StepEntered',
  'AnswerAccepted',
  ...OWED_WORK_EVENT_TYPES,
  'ChannelWorkflowAssigned',
  'ChannelWorkflowUnassigned',
);

/** Sessions' and channels' ids are unique across workspaces: the state is kept by id alone. */
export async function applyToSessionEngineState(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
  const event = handledEvent(recorded);
  if (!event) return;
  const { workspace } = event.metadata;
  switch (event.type) {
    case 'ChannelWorkflowAssigned': {
      const assignment: EngineChannelWorkflow = { id: event.data.channelId, workspace, workflowId: event.data.workflowId };
      return tx.put(ENGINE_CHANNEL_WORKFLOWS_COLLECTION, assignment);
    }
    case 'ChannelWorkflowUnassigned':
      return tx.delete(ENGINE_CHANNEL_WORKFLOWS_COLLECTION, event.data.channelId);
    case 'SessionStarted': {
      const { sessionId, workflowId, startedAt } = event.data;
      if (await tx.get(ENGINE_ACTIVE_SESSIONS_COLLECTION, sessionId)) return;
      const session: EngineActiveSession = {
        id: sessionId,
        workspace,
        workflowId,
        startedAt,
        inactivityTimerId: null,
        stepTimerId: null,
        agentRequestId: null,
      };
      return tx.put(ENGINE_ACTIVE_SESSIONS_COLLECTION, session);
    }
    default: {
      const session = await tx.get<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION, event.data.sessionId);
      if (session) applyToActiveSession(session, event, tx);
    }
  }
}

function applyToActiveSession(
  session: EngineActiveSession,
  event: Recorded<Exclude<SessionEvent, { type: 'SessionStarted' }>>,
  tx: ProjectionTransaction,
): void {
  const cancel = (workId: string | null) => {
    if (workId !== null) tx.delete(ENGINE_PENDING_WORK_COLLECTION, workId);
  };
  const owe = (id: string, kind: PendingWork['kind'], dueAt: string) => {
    const work: PendingWork = { id, workspace: ENGINE_SCOPE, sessionId: session.id, sessionWorkspace: session.workspace, kind, dueAt };
    tx.put(ENGINE_PENDING_WORK_COLLECTION, work);
  };
  const update = (change: Partial<EngineActiveSession>) => tx.put(ENGINE_ACTIVE_SESSIONS_COLLECTION, { ...session, ...change });

  switch (event.type) {
    case 'TimerScheduled': {
      const { timerId, dueAt, purpose } = event.data;
      owe(timerId, 'timer', dueAt);
      // A new inactivity timer replaces the old one; a step has one timer at a time. The same
      // event applied again finds its own timer current: that one must stay owed.
      const replaced = purpose === 'inactivity' ? session.inactivityTimerId : session.stepTimerId;
      if (replaced !== timerId) cancel(replaced);
      return update(purpose === 'inactivity' ? { inactivityTimerId: timerId } : { stepTimerId: timerId });
    }
    case 'TimerFired': {
      const { timerId } = event.data;
      cancel(timerId);
      if (session.inactivityTimerId === timerId) update({ inactivityTimerId: null });
      else if (session.stepTimerId === timerId) update({ stepTimerId: null });
      return;
    }
    case 'StepEntered':
    case 'AnswerAccepted':
      // The session left the step that waited: the step's timer no longer matters.
      if (session.stepTimerId === null) return;
      cancel(session.stepTimerId);
      return update({ stepTimerId: null });
    case 'AgentInvoked':
      owe(event.data.requestId, 'agent_request', event.metadata.occurredAt);
      return update({ agentRequestId: event.data.requestId });
    case 'AgentReplied':
    case 'AgentFailed':
      cancel(event.data.requestId);
      return update({ agentRequestId: null });
    case 'SessionCompleted':
    case 'SessionDeactivated':
    case 'SessionExpired':
    case 'SessionTerminated':
      cancel(session.inactivityTimerId);
      cancel(session.stepTimerId);
      cancel(session.agentRequestId);
      return tx.delete(ENGINE_ACTIVE_SESSIONS_COLLECTION, session.id);
    default:
      return;
  }
}
