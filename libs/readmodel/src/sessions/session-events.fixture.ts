import {
  type AnswerAccepted,
  conversationStreamName,
  type MessageChoice,
  type MessageReceived,
  type MessageRoutedToSession,
  type MessageSent,
  type SessionCompletionReason,
  type SessionEnded,
  type SessionStarted,
  sessionStreamName,
  type StepEntered,
  type VariableValue,
} from '#domain';
import type { RecordedEvent } from '#eventstore';
import { recordedEvent } from '../projection.fixture.js';

export interface SessionStart {
  workflowId?: string;
  workflowVersion?: number;
  channelId?: string;
  contactId?: string;
  contactName?: string;
  startedAt?: string;
}

export interface Outbound {
  text: string;
  choices?: MessageChoice[];
}

/**
 * Builders of recorded session and conversation events, all in one workspace. Each stream's
 * events get consecutive revisions from 0, and each session numbers its outbound messages, as the
 * event store and the session decider do.
 */
export function sessionEventsIn(workspace: string) {
  const nextRevisions = new Map<string, number>();
  const sentCounts = new Map<string, number>();

  const record = <Event extends { type: string; data: unknown }>(streamName: string, event: Event): RecordedEvent => {
    const revision = nextRevisions.get(streamName) ?? 0;
    nextRevisions.set(streamName, revision + 1);
    return { ...recordedEvent(event, workspace), streamName, revision };
  };
  const inSession = <Event extends { type: string; data: { sessionId: string } }>(event: Event) =>
    record(sessionStreamName(event.data.sessionId), event);
  const inConversation = <Event extends { type: string; data: { channelId: string; contactId: string } }>(event: Event) =>
    record(conversationStreamName(event.data.channelId, event.data.contactId), event);

  const sent = (sessionId: string, stepId: string, { text, choices }: Outbound) => {
    const count = (sentCounts.get(sessionId) ?? 0) + 1;
    sentCounts.set(sessionId, count);
    const data: MessageSent['data'] = { sessionId, messageId: `${sessionId}:m:${count}`, stepId, text };
    return inSession<MessageSent>({ type: 'MessageSent', data: choices ? { ...data, choices } : data });
  };

  return {
    started: (sessionId: string, start: SessionStart = {}) => {
      const event = inSession<SessionStarted>({
        type: 'SessionStarted',
        data: {
          sessionId,
          workflowId: start.workflowId ?? 'wf-1',
          workflowVersion: start.workflowVersion ?? 1,
          workspace,
          channelId: start.channelId ?? 'webchat-1',
          contactId: start.contactId ?? 'contact-1',
          ...(start.contactName === undefined ? {} : { contactName: start.contactName }),
          steps: [],
          settings: {},
          startedAt: start.startedAt ?? '',
        },
      });
      // Unless the test says otherwise, a session starts when its start is decided.
      return { ...event, data: { ...event.data, startedAt: start.startedAt ?? event.metadata.occurredAt } };
    },

    stepEntered: (sessionId: string, stepId: string) => inSession<StepEntered>({ type: 'StepEntered', data: { sessionId, stepId } }),

    answerAccepted: (sessionId: string, stepId: string, variable: string, value: VariableValue) =>
      inSession<AnswerAccepted>({
        type: 'AnswerAccepted',
        data: { sessionId, stepId, variable, value, messageId: `in-${variable}` },
      }),

    sent: (sessionId: string, stepId: string, outbound: Outbound) => sent(sessionId, stepId, outbound),

    /** Messages the session sends in one append: recorded at the same moment, in this order. */
    sentInOneAppend: (sessionId: string, stepId: string, ...outbound: Outbound[]) => {
      const events = outbound.map((message) => sent(sessionId, stepId, message));
      const { occurredAt } = events[0].metadata;
      return events.map((event) => ({ ...event, metadata: { ...event.metadata, occurredAt }, recordedAt: occurredAt }));
    },

    completed: (sessionId: string, workflowId: string, reason: SessionCompletionReason, team?: string) =>
      inSession<SessionEnded>({
        type: 'SessionCompleted',
        data: team === undefined ? { sessionId, workflowId, reason } : { sessionId, workflowId, reason, team },
      }),

    ended: (type: Exclude<SessionEnded['type'], 'SessionCompleted'>, sessionId: string, workflowId: string) =>
      inSession<SessionEnded>({ type, data: { sessionId, workflowId } }),

    received: (channelId: string, contactId: string, messageId: string, text: string) => {
      const event = inConversation<MessageReceived>({
        type: 'MessageReceived',
        data: { channelId, contactId, messageId, text, receivedAt: '' },
      });
      // A channel hands a message over a little before it is recorded.
      const receivedAt = new Date(Date.parse(event.recordedAt) - 500).toISOString();
      return { ...event, data: { ...event.data, receivedAt } };
    },

    routed: (channelId: string, contactId: string, messageId: string, sessionId: string, startsSession = false) =>
      inConversation<MessageRoutedToSession>({
        type: 'MessageRoutedToSession',
        data: { channelId, contactId, messageId, sessionId, workflowId: 'wf-1', startsSession },
      }),
  };
}
