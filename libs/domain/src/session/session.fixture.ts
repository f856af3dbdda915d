/**
 * Builders of the commands and events of one session, `s-1` of workflow `wf-1`, for the session
 * specs. Times are given in seconds after the session started.
 */
import type { StepDefinition, WorkflowSettings } from '../workflow/step.schema.js';
import type {
  FireTimer,
  RecordAgentFailure,
  RecordAgentReply,
  ReceiveCustomerMessage,
  SessionCommand,
  StartSession,
} from './session.decider.js';
import type { MessageChoice, SessionCompletionReason, SessionEvent } from './session.events.js';
import type { VariableValue } from './variables.js';

export const sessionId = 's-1';
export const workflowId = 'wf-1';
const startTime = Date.parse('2030-01-01T00:00:00.000Z');
export const DAY = 86_400;

/** The ISO time `seconds` after the session started. */
export const at = (seconds: number): string => new Date(startTime + seconds * 1000).toISOString();

const messageId = (n: number): string => `${sessionId}:m:${n}`;
const timerId = (n: number): string => `${sessionId}:t:${n}`;
const requestId = (n: number): string => `${sessionId}:a:${n}`;

const identity = {
  sessionId,
  workflowId,
  workflowVersion: 3,
  workspace: 'acme',
  channelId: 'webchat-1',
  contactId: 'contact-1',
  contactName: 'Ada',
};

export const command = {
  start: (steps: StepDefinition[], settings: WorkflowSettings = {}): StartSession => ({
    type: 'StartSession',
    data: { ...identity, steps, settings, firstMessage: { messageId: 'c-1', text: 'Hi' }, now: at(0) },
  }),
  message: (id: string, text: string, seconds: number): ReceiveCustomerMessage => ({
    type: 'ReceiveCustomerMessage',
    data: { sessionId, messageId: id, text, now: at(seconds) },
  }),
  fire: (n: number, seconds: number): FireTimer => ({
    type: 'FireTimer',
    data: { sessionId, timerId: timerId(n), now: at(seconds) },
  }),
  agentReply: (n: number, text: string, seconds: number, handoff: RecordAgentReply['data']['handoff'] = false): RecordAgentReply => ({
    type: 'RecordAgentReply',
    data: { sessionId, requestId: requestId(n), text, handoff, now: at(seconds) },
  }),
  agentFailure: (n: number, reason: string, seconds: number): RecordAgentFailure => ({
    type: 'RecordAgentFailure',
    data: { sessionId, requestId: requestId(n), reason, now: at(seconds) },
  }),
  deactivate: (): SessionCommand => ({ type: 'DeactivateSession', data: { sessionId } }),
  terminate: (): SessionCommand => ({ type: 'TerminateSession', data: { sessionId } }),
};

const stepTimer = (n: number, purpose: 'wait' | 'question_timeout', stepId: string, dueSeconds: number): SessionEvent => ({
  type: 'TimerScheduled',
  data: { sessionId, timerId: timerId(n), purpose, stepId, dueAt: at(dueSeconds) },
});

export const event = {
  started: (steps: StepDefinition[], settings: WorkflowSettings = {}): SessionEvent => ({
    type: 'SessionStarted',
    data: { ...identity, steps, settings, startedAt: at(0) },
  }),
  received: (id: string, text: string): SessionEvent => ({
    type: 'CustomerMessageReceived',
    data: { sessionId, messageId: id, text },
  }),
  entered: (stepId: string): SessionEvent => ({ type: 'StepEntered', data: { sessionId, stepId } }),
  sent: (n: number, stepId: string, text: string, choices?: MessageChoice[]): SessionEvent => ({
    type: 'MessageSent',
    data: { sessionId, messageId: messageId(n), stepId, text, ...(choices === undefined ? {} : { choices }) },
  }),
  asked: (stepId: string, variable: string, attempt = 1): SessionEvent => ({
    type: 'QuestionAsked',
    data: { sessionId, stepId, variable, attempt },
  }),
  accepted: (stepId: string, variable: string, value: VariableValue, id: string): SessionEvent => ({
    type: 'AnswerAccepted',
    data: { sessionId, stepId, variable, value, messageId: id },
  }),
  rejected: (stepId: string, id: string, attempt: number, reason: string): SessionEvent => ({
    type: 'AnswerRejected',
    data: { sessionId, stepId, messageId: id, attempt, reason },
  }),
  /** The inactivity timer, due a day (the default timeout) after `fromSeconds` unless told otherwise. */
  inactivity: (n: number, fromSeconds: number, timeoutSeconds = DAY): SessionEvent => ({
    type: 'TimerScheduled',
    data: { sessionId, timerId: timerId(n), purpose: 'inactivity', dueAt: at(fromSeconds + timeoutSeconds) },
  }),
  waitTimer: (n: number, stepId: string, dueSeconds: number): SessionEvent => stepTimer(n, 'wait', stepId, dueSeconds),
  questionTimer: (n: number, stepId: string, dueSeconds: number): SessionEvent => stepTimer(n, 'question_timeout', stepId, dueSeconds),
  fired: (n: number): SessionEvent => ({ type: 'TimerFired', data: { sessionId, timerId: timerId(n) } }),
  invoked: (n: number, stepId: string, turn: number): SessionEvent => ({
    type: 'AgentInvoked',
    data: { sessionId, requestId: requestId(n), stepId, turn },
  }),
  replied: (n: number, text: string): SessionEvent => ({
    type: 'AgentReplied',
    data: { sessionId, requestId: requestId(n), text },
  }),
  failed: (n: number, reason: string): SessionEvent => ({
    type: 'AgentFailed',
    data: { sessionId, requestId: requestId(n), reason },
  }),
  routed: (stepId: string, team: string, why: { note?: string; reason?: string } = {}): SessionEvent => ({
    type: 'SessionRoutedToTeam',
    data: { sessionId, stepId, team, ...why },
  }),
  completed: (reason: SessionCompletionReason, team?: string): SessionEvent => ({
    type: 'SessionCompleted',
    data: { sessionId, workflowId, reason, ...(team === undefined ? {} : { team }) },
  }),
  deactivated: (): SessionEvent => ({ type: 'SessionDeactivated', data: { sessionId, workflowId } }),
  expired: (): SessionEvent => ({ type: 'SessionExpired', data: { sessionId, workflowId } }),
  terminated: (): SessionEvent => ({ type: 'SessionTerminated', data: { sessionId, workflowId } }),
};
