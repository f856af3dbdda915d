/**
 * The session engine's own state, kept from the log beside its checkpoint (never shown to users):
 * which sessions of each workflow are active and which channels there are, with their type and
 * workflow — to end them all, unassign them all, and know where replies go — and the work the
 * engine still owes: timers to fire, AI agent requests to answer and outboxes to deliver, so that
 * a restart takes them up again.
 */
import { type ChannelRegistry, channelRegistry } from '#channels';
import { type ChannelEvent, type DeliveryEvent, SESSION_END_EVENT_TYPES, type SessionEvent } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, type ProjectionTransaction, type ReadModelDocument, type Recorded, recordedEventsOf } from '#readmodel';
import type { OpenSessionChange } from './channel-session-admission.js';

export const SESSION_ENGINE_PROJECTION = 'session-engine';
export const ENGINE_ACTIVE_SESSIONS_COLLECTION = 'engine-active-sessions';
export const ENGINE_CHANNELS_COLLECTION = 'engine-channels';
export const ENGINE_OUTBOXES_COLLECTION = 'engine-outboxes';
export const ENGINE_PENDING_WORK_COLLECTION = 'engine-pending-work';
/**
 * Pending work is loaded as a whole at start, across workspaces; its documents sit in this one
 * scope. The workspace a piece of work belongs to is in its `sessionWorkspace`.
 */
export const ENGINE_SCOPE = '~session-engine';

/** An active session; the ids of the work it has pending, so that ending it cancels that work. */
export interface EngineActiveSession extends ReadModelDocument {
  workflowId: string;
  channelId: string;
  startedAt: string;
  inactivityTimerId: string | null;
  stepTimerId: string | null;
  agentRequestId: string | null;
}

export interface EngineChannel extends ReadModelDocument {
  channelType: string;
  workflowId: string | null;
  /** Its settings (no secrets): whether its messages are pushed may depend on them (an API channel's callbackUrl). */
  settings?: Record<string, unknown>;
}

/** The messages of a session (`id`) not yet delivered to a push channel, oldest first. */
export interface EngineOutbox extends ReadModelDocument {
  undelivered: string[];
}

/** What is owed: a timer (`id` = timer id), an AI agent request (request id) or an outbox (`outbox:<sessionId>`). */
export interface PendingWork extends ReadModelDocument {
  kind: 'timer' | 'agent_request' | 'delivery';
  sessionId: string;
  sessionWorkspace: string;
  /** When to do it: a timer's due time, an agent request's time of asking, a delivery's next try. */
  dueAt: string;
}

/** How an event changed what is owed, for the scheduler to follow once it is committed. */
export type WorkChange = { kind: 'owe'; work: PendingWork } | { kind: 'settle'; id: string };

export const outboxWorkId = (sessionId: string): string => `outbox:${sessionId}`;

/** A channel's name is nothing the engine keeps. */
type EngineEvent = SessionEvent | DeliveryEvent | Exclude<ChannelEvent, { type: 'ChannelRenamed' }>;

const handledEvent = recordedEventsOf<EngineEvent>(
  'SessionStarted',
  'StepEntered',
  'AnswerAccepted',
  'MessageSent',
  'TimerScheduled',
  'TimerFired',
  'AgentInvoked',
  'AgentReplied',
  'AgentFailed',
  ...SESSION_END_EVENT_TYPES,
  'MessageDelivered',
  'MessageDeliveryAttemptFailed',
  'MessageDeliveryFailed',
  'ChannelCreated',
  'ChannelWorkflowAssigned',
  'ChannelWorkflowUnassigned',
);

/**
 * Applies one event within the engine's commit and returns how it changed the owed work.
 * `channels` says which channel types the engine pushes messages to; `openSessions`, when given,
 * is told of each session that becomes active or stops being so.
 */
export async function applyToSessionEngineState(
  recorded: RecordedEvent,
  tx: ProjectionTransaction,
  channels: ChannelRegistry,
  openSessions?: OpenSessionChange[],
): Promise<WorkChange[]> {
  const event = handledEvent(recorded);
  if (!event) return [];
  const work = new OwedWork(tx);
  switch (event.type) {
    case 'ChannelCreated':
    case 'ChannelWorkflowAssigned':
    case 'ChannelWorkflowUnassigned':
      await applyToChannel(event, tx);
      break;
    case 'MessageDelivered':
    case 'MessageDeliveryAttemptFailed':
    case 'MessageDeliveryFailed':
      await applyToOutbox(event, tx, work);
      break;
    case 'SessionStarted': {
      const { sessionId, workflowId, channelId, startedAt } = event.data;
      if (await tx.get(ENGINE_ACTIVE_SESSIONS_COLLECTION, sessionId)) break;
      const session: EngineActiveSession = {
        id: sessionId,
        workspace: event.metadata.workspace,
        workflowId,
        channelId,
        startedAt,
        inactivityTimerId: null,
        stepTimerId: null,
        agentRequestId: null,
      };
      tx.put(ENGINE_ACTIVE_SESSIONS_COLLECTION, session);
      openSessions?.push({ kind: 'opened', channelId, sessionId });
      break;
    }
    default: {
      const session = await tx.get<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION, event.data.sessionId);
      if (!session) break;
      await applyToActiveSession(session, event, tx, work, channels);
      if (isSessionEnd(event)) openSessions?.push({ kind: 'closed', channelId: session.channelId, sessionId: session.id });
    }
  }
  return work.changes;
}

const sessionEndTypes: ReadonlySet<string> = new Set(SESSION_END_EVENT_TYPES);
const isSessionEnd = (event: { type: string }): boolean => sessionEndTypes.has(event.type);

/** Writes owed work and notes each change for the scheduler. */
class OwedWork {
  readonly changes: WorkChange[] = [];

  constructor(private readonly tx: ProjectionTransaction) {}

  owe(session: { id: string; workspace: string }, id: string, kind: PendingWork['kind'], dueAt: string): void {
    const work: PendingWork = { id, workspace: ENGINE_SCOPE, kind, sessionId: session.id, sessionWorkspace: session.workspace, dueAt };
    this.tx.put(ENGINE_PENDING_WORK_COLLECTION, work);
    this.changes.push({ kind: 'owe', work });
  }

  settle(id: string | null): void {
    if (id === null) return;
    this.tx.delete(ENGINE_PENDING_WORK_COLLECTION, id);
    this.changes.push({ kind: 'settle', id });
  }
}

async function applyToChannel(
  event: Recorded<Extract<ChannelEvent, { type: 'ChannelCreated' | 'ChannelWorkflowAssigned' | 'ChannelWorkflowUnassigned' }>>,
  tx: ProjectionTransaction,
): Promise<void> {
  const { channelId } = event.data;
  if (event.type === 'ChannelCreated') {
    const { channelType, config: settings } = event.data;
    const channel: EngineChannel = { id: channelId, workspace: event.metadata.workspace, channelType, workflowId: null, settings };
    if (!(await tx.get(ENGINE_CHANNELS_COLLECTION, channelId))) tx.put(ENGINE_CHANNELS_COLLECTION, channel);
    return;
  }
  const channel = await tx.get<EngineChannel>(ENGINE_CHANNELS_COLLECTION, channelId);
  if (!channel) return;
  const workflowId = event.type === 'ChannelWorkflowAssigned' ? event.data.workflowId : null;
  tx.put(ENGINE_CHANNELS_COLLECTION, { ...channel, workflowId });
}

/** A message done (delivered or failed for good) leaves the outbox; a failed attempt sets the next try. */
async function applyToOutbox(event: Recorded<DeliveryEvent>, tx: ProjectionTransaction, work: OwedWork): Promise<void> {
  const { sessionId, messageId } = event.data;
  const outbox = await tx.get<EngineOutbox>(ENGINE_OUTBOXES_COLLECTION, sessionId);
  if (!outbox?.undelivered.includes(messageId)) return;
  if (event.type === 'MessageDeliveryAttemptFailed') {
    work.owe({ id: sessionId, workspace: outbox.workspace }, outboxWorkId(sessionId), 'delivery', event.data.retryAt);
    return;
  }
  const undelivered = outbox.undelivered.filter((id) => id !== messageId);
  if (undelivered.length > 0) {
    tx.put(ENGINE_OUTBOXES_COLLECTION, { ...outbox, undelivered });
    // Messages sent while a delivery ran may not have been seen by it: the outbox goes on.
    work.owe({ id: sessionId, workspace: outbox.workspace }, outboxWorkId(sessionId), 'delivery', event.metadata.occurredAt);
    return;
  }
  tx.delete(ENGINE_OUTBOXES_COLLECTION, sessionId);
  work.settle(outboxWorkId(sessionId));
}

async function applyToActiveSession(
  session: EngineActiveSession,
  event: Recorded<Exclude<SessionEvent, { type: 'SessionStarted' }>>,
  tx: ProjectionTransaction,
  work: OwedWork,
  channels: ChannelRegistry,
): Promise<void> {
  const update = (change: Partial<EngineActiveSession>) => tx.put(ENGINE_ACTIVE_SESSIONS_COLLECTION, { ...session, ...change });

  switch (event.type) {
    case 'MessageSent':
      return sendThroughOutbox(session, event.data.messageId, event.metadata.occurredAt, tx, work, channels);
    case 'TimerScheduled': {
      const { timerId, dueAt, purpose } = event.data;
      work.owe(session, timerId, 'timer', dueAt);
      // A new inactivity timer replaces the old one; a step has one timer at a time. The same
      // event applied again finds its own timer current: that one must stay owed.
      const replaced = purpose === 'inactivity' ? session.inactivityTimerId : session.stepTimerId;
      if (replaced !== timerId) work.settle(replaced);
      return update(purpose === 'inactivity' ? { inactivityTimerId: timerId } : { stepTimerId: timerId });
    }
    case 'TimerFired': {
      const { timerId } = event.data;
      work.settle(timerId);
      if (session.inactivityTimerId === timerId) update({ inactivityTimerId: null });
      else if (session.stepTimerId === timerId) update({ stepTimerId: null });
      return;
    }
    case 'StepEntered':
    case 'AnswerAccepted':
      // The session left the step that waited: the step's timer no longer matters.
      if (session.stepTimerId === null) return;
      work.settle(session.stepTimerId);
      return update({ stepTimerId: null });
    case 'AgentInvoked':
      work.owe(session, event.data.requestId, 'agent_request', event.metadata.occurredAt);
      return update({ agentRequestId: event.data.requestId });
    case 'AgentReplied':
    case 'AgentFailed':
      work.settle(event.data.requestId);
      return update({ agentRequestId: null });
    case 'SessionCompleted':
    case 'SessionDeactivated':
    case 'SessionExpired':
    case 'SessionTerminated':
      // Its outbox is not cancelled: what the session said is still delivered.
      work.settle(session.inactivityTimerId);
      work.settle(session.stepTimerId);
      work.settle(session.agentRequestId);
      return tx.delete(ENGINE_ACTIVE_SESSIONS_COLLECTION, session.id);
    default:
      return;
  }
}

/**
 * A message to a push channel joins its session's outbox, delivered in order by one piece of
 * work; a message joining an outbox that waits for a retry waits with it, to keep the order.
 */
async function sendThroughOutbox(
  session: EngineActiveSession,
  messageId: string,
  occurredAt: string,
  tx: ProjectionTransaction,
  work: OwedWork,
  channels: ChannelRegistry,
): Promise<void> {
  const channel = await tx.get<EngineChannel>(ENGINE_CHANNELS_COLLECTION, session.channelId);
  // Web chat's replies are read from the transcript, a pull-mode API channel's from its outbox;
  // a type no longer registered throws, naming it.
  if (!channel || !channels.pushesTo(channel.channelType, channel.settings ?? {})) return;
  const outbox = await tx.get<EngineOutbox>(ENGINE_OUTBOXES_COLLECTION, session.id);
  if (outbox?.undelivered.includes(messageId)) return;
  const undelivered = [...(outbox?.undelivered ?? []), messageId];
  tx.put(ENGINE_OUTBOXES_COLLECTION, { id: session.id, workspace: session.workspace, undelivered } satisfies EngineOutbox);
  if (outbox === undefined) work.owe(session, outboxWorkId(session.id), 'delivery', occurredAt);
}

/** The engine's state alone, without the engine's reactions: what rebuilding or verifying it from the log runs. */
export const sessionEngineStateProjectionFor = (channels: ChannelRegistry): Projection => ({
  name: SESSION_ENGINE_PROJECTION,
  collections: [ENGINE_ACTIVE_SESSIONS_COLLECTION, ENGINE_CHANNELS_COLLECTION, ENGINE_OUTBOXES_COLLECTION, ENGINE_PENDING_WORK_COLLECTION],
  indexes: [
    // Everything owed, loaded at start.
    { collection: ENGINE_PENDING_WORK_COLLECTION, equals: [], orderBy: 'dueAt' },
    // What ending a workflow's sessions, or deleting it, goes through.
    { collection: ENGINE_ACTIVE_SESSIONS_COLLECTION, equals: ['workflowId'], orderBy: 'startedAt' },
    { collection: ENGINE_CHANNELS_COLLECTION, equals: ['workflowId'], orderBy: 'id' },
  ],
  async apply(event, tx) {
    await applyToSessionEngineState(event, tx, channels);
  },
});

/** With the service's channel registry. */
export const sessionEngineStateProjection = sessionEngineStateProjectionFor(channelRegistry);
