/**
 * Helpers of the session engine specs: stores on temporary files, recorded events as the event
 * store hands them back, and commits of the engine's state event by event, as the engine does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentFailed,
  type AgentInvoked,
  type AgentReplied,
  type MessageDelivered,
  type MessageDeliveryAttemptFailed,
  type MessageDeliveryFailed,
  type MessageSent,
  type AnswerAccepted,
  type ChannelCreated,
  type ChannelType,
  type ChannelWorkflowAssigned,
  type ChannelWorkflowUnassigned,
  type SessionEnded,
  type SessionStarted,
  type StepEntered,
  type TimerFired,
  type TimerScheduled,
  channelStreamName,
  outboxStreamName,
  sessionStreamName,
} from '#domain';
import { channelRegistry } from '#channels';
import { type RecordedEvent, SqliteEventStore } from '#eventstore';
import { type ReadModelStore, SqliteReadModelStore } from '#readmodel';
import {
  SESSION_ENGINE_PROJECTION,
  type WorkChange,
  applyToSessionEngineState,
  sessionEngineStateProjection,
} from './session-engine-state.projection.js';

/** A store on a fresh file in its own temporary directory; `dispose` closes it and removes the directory. */
export interface TemporaryStore<Store> {
  store: Store;
  dispose: () => Promise<void>;
}

async function onTemporaryFile<Store extends { close(): Promise<void> }>(
  prefix: string,
  open: (file: string) => Store,
): Promise<TemporaryStore<Store>> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  const store = open(join(directory, 'store.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** With the engine's indexes, as a server declares them at start. */
export const openTemporaryReadModelStore = async (): Promise<TemporaryStore<SqliteReadModelStore>> => {
  const temporary = await onTemporaryFile('engine-readmodel-', (file) => SqliteReadModelStore.open({ file }));
  await temporary.store.declareIndexes(sessionEngineStateProjection.indexes);
  return temporary;
};

export const openTemporaryEventStore = (): Promise<TemporaryStore<SqliteEventStore>> =>
  onTemporaryFile('engine-events-', (file) => SqliteEventStore.open({ file }));

let lastPosition = 0;

/** The next position of the log, shared by every builder so positions never repeat. */
const nextPosition = (): string => String(++lastPosition).padStart(12, '0');

/**
 * Builders of recorded events in `workspace`. Each stream's events get consecutive revisions;
 * `occurredAt` is now unless an event is given its own time.
 */
export function engineEventsIn(workspace: string) {
  const revisions = new Map<string, number>();

  const record = (streamName: string, event: { type: string; data: unknown }, occurredAt = new Date().toISOString()): RecordedEvent => {
    const revision = revisions.get(streamName) ?? 0;
    revisions.set(streamName, revision + 1);
    return {
      id: randomUUID(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { sub: 'session-engine', role: 'system' },
        occurredAt,
        workspace,
      },
      streamName,
      revision,
      position: nextPosition(),
      recordedAt: occurredAt,
    };
  };
  const inSession = <Event extends { type: string; data: { sessionId: string } }>(event: Event, occurredAt?: string) =>
    record(sessionStreamName(event.data.sessionId), event, occurredAt);
  const inChannel = <Event extends { type: string; data: { channelId: string } }>(event: Event) =>
    record(channelStreamName(event.data.channelId), event);
  const inOutbox = <Event extends { type: string; data: { sessionId: string } }>(event: Event, occurredAt?: string) =>
    record(outboxStreamName(event.data.sessionId), event, occurredAt);

  return {
    /** A session on `channelId`: a channel the engine state knows nothing of, unless told. */
    sessionStarted: (sessionId: string, workflowId = 'wf-1', startedAt = '2030-01-01T00:00:00.000Z', channelId = 'webchat-1') =>
      inSession<SessionStarted>({
        type: 'SessionStarted',
        data: {
          sessionId,
          workflowId,
          workflowVersion: 1,
          workspace,
          channelId,
          contactId: `contact-of-${sessionId}`,
          steps: [],
          settings: {},
          startedAt,
        },
      }),
    inactivityTimer: (sessionId: string, timerId: string, dueAt: string) =>
      inSession<TimerScheduled>({ type: 'TimerScheduled', data: { sessionId, timerId, purpose: 'inactivity', dueAt } }),
    stepTimer: (sessionId: string, timerId: string, dueAt: string, purpose: 'wait' | 'question_timeout' = 'wait') =>
      inSession<TimerScheduled>({ type: 'TimerScheduled', data: { sessionId, timerId, purpose, stepId: 'step-1', dueAt } }),
    timerFired: (sessionId: string, timerId: string) => inSession<TimerFired>({ type: 'TimerFired', data: { sessionId, timerId } }),
    stepEntered: (sessionId: string, stepId = 'step-2') => inSession<StepEntered>({ type: 'StepEntered', data: { sessionId, stepId } }),
    answerAccepted: (sessionId: string) =>
      inSession<AnswerAccepted>({
        type: 'AnswerAccepted',
        data: { sessionId, stepId: 'step-1', variable: 'name', value: 'Ada', messageId: `${sessionId}-answer` },
      }),
    /** An agent request is owed from the moment it was asked: `askedAt`, now unless told. */
    agentInvoked: (sessionId: string, requestId: string, askedAt?: string) =>
      inSession<AgentInvoked>({ type: 'AgentInvoked', data: { sessionId, requestId, stepId: 'agent', turn: 1 } }, askedAt),
    agentReplied: (sessionId: string, requestId: string) =>
      inSession<AgentReplied>({ type: 'AgentReplied', data: { sessionId, requestId, text: 'Hello' } }),
    agentFailed: (sessionId: string, requestId: string) =>
      inSession<AgentFailed>({ type: 'AgentFailed', data: { sessionId, requestId, reason: 'unreachable' } }),
    /** A message the session sent, at `occurredAt` (now unless told). */
    messageSent: (sessionId: string, messageId: string, occurredAt?: string) =>
      inSession<MessageSent>(
        { type: 'MessageSent', data: { sessionId, messageId, stepId: 'step-1', text: `Text of ${messageId}` } },
        occurredAt,
      ),
    /** Outcomes of a delivery attempt, on the session's outbox stream `outbox-<sessionId>`. */
    delivered: (sessionId: string, messageId: string, occurredAt?: string) =>
      inOutbox<MessageDelivered>(
        { type: 'MessageDelivered', data: { sessionId, messageId, attempt: 1, providerMessageId: `provider-${messageId}` } },
        occurredAt,
      ),
    attemptFailed: (sessionId: string, messageId: string, retryAt: string) =>
      inOutbox<MessageDeliveryAttemptFailed>({
        type: 'MessageDeliveryAttemptFailed',
        data: { sessionId, messageId, attempt: 1, status: 503, error: 'Service Unavailable', retryAt },
      }),
    deliveryFailed: (sessionId: string, messageId: string) =>
      inOutbox<MessageDeliveryFailed>({
        type: 'MessageDeliveryFailed',
        data: { sessionId, messageId, attempt: 1, status: 400, error: 'Bad Request' },
      }),
    sessionEnded: (type: SessionEnded['type'], sessionId: string, workflowId = 'wf-1') =>
      inSession<SessionEnded>(
        type === 'SessionCompleted'
          ? { type, data: { sessionId, workflowId, reason: 'flow_finished' } }
          : { type, data: { sessionId, workflowId } },
      ),
    channelCreated: (channelId: string, channelType: ChannelType) =>
      inChannel<ChannelCreated>({
        type: 'ChannelCreated',
        data: { channelId, workspace, channelType, name: `Channel ${channelId}`, config: {} },
      }),
    channelAssigned: (channelId: string, workflowId: string) =>
      inChannel<ChannelWorkflowAssigned>({ type: 'ChannelWorkflowAssigned', data: { channelId, workflowId } }),
    channelUnassigned: (channelId: string, workflowId: string) =>
      inChannel<ChannelWorkflowUnassigned>({
        type: 'ChannelWorkflowUnassigned',
        data: { channelId, workflowId, reason: 'unassigned' },
      }),
    /** Any other event, on a stream of its own. */
    other: (streamName: string, type: string, data: object) => record(streamName, { type, data }),
  };
}

export const SESSION_END_TYPES: SessionEnded['type'][] = ['SessionCompleted', 'SessionDeactivated', 'SessionExpired', 'SessionTerminated'];

/**
 * Commits each event to the engine's state in a unit of its own, moving the checkpoint to it, and
 * returns the changes to owed work of all of them, in order.
 */
export async function commitToEngineState(store: ReadModelStore, ...events: RecordedEvent[]): Promise<WorkChange[]> {
  const changes: WorkChange[] = [];
  for (const event of events) {
    const expected = await store.getCheckpoint(SESSION_ENGINE_PROJECTION);
    await store.commit(SESSION_ENGINE_PROJECTION, { expected, next: event.position }, async (tx) => {
      changes.push(...(await applyToSessionEngineState(event, tx, channelRegistry)));
    });
  }
  return changes;
}

/** An ISO time `ms` milliseconds from now (negative: ago). */
export const fromNow = (ms: number): string => new Date(Date.now() + ms).toISOString();
