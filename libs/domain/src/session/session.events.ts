/**
 * The facts of a session's stream `session-<id>`. The stream is self-contained: `SessionStarted`
 * carries the definition the session runs, pinned when it started, so that publishing a new
 * version never changes a session in progress. Every event's data names its session.
 *
 * A session is active from `SessionStarted` until exactly one end event (`SessionEnded`); the
 * workflow cards count them. Ids that the session hands out (of outbound messages, timers and
 * AI agent requests) are derived from the session id and a counter, so that deciding the same
 * command on the same state again yields the same events.
 */
import type { StepDefinition, WorkflowSettings } from '../workflow/step.schema.js';
import type { VariableValue } from './variables.js';

interface SessionEventData {
  sessionId: string;
}

export interface SessionStarted {
  type: 'SessionStarted';
  data: SessionEventData & {
    workflowId: string;
    workflowVersion: number;
    workspace: string;
    channelId: string;
    contactId: string;
    contactName?: string;
    /** The definition of `workflowVersion`, as the session runs it to its end. */
    steps: StepDefinition[];
    settings: WorkflowSettings;
    startedAt: string;
  };
}

export interface CustomerMessageReceived {
  type: 'CustomerMessageReceived';
  data: SessionEventData & { messageId: string; text: string };
}

/** A choice as the customer sees it; `value` is what choosing it stores. */
export interface MessageChoice {
  label: string;
  value: string;
}

/** A message to the customer, rendered and ready to deliver; `messageId` is its delivery key. */
export interface MessageSent {
  type: 'MessageSent';
  data: SessionEventData & { messageId: string; stepId: string; text: string; choices?: MessageChoice[] };
}

/** The session now waits for the answer; `attempt` counts from 1 and grows with each retry. */
export interface QuestionAsked {
  type: 'QuestionAsked';
  data: SessionEventData & { stepId: string; variable: string; attempt: number };
}

export interface AnswerAccepted {
  type: 'AnswerAccepted';
  data: SessionEventData & { stepId: string; variable: string; value: VariableValue; messageId: string };
}

export interface AnswerRejected {
  type: 'AnswerRejected';
  data: SessionEventData & { stepId: string; messageId: string; attempt: number; reason: string };
}

export interface StepEntered {
  type: 'StepEntered';
  data: SessionEventData & { stepId: string };
}

/**
 * A durable timer of the session, due at `dueAt` (ISO 8601). The timers of `wait` steps and of
 * questions with a timeout name the step that set them; the inactivity timer belongs to no step.
 */
export type SessionTimer =
  | { timerId: string; purpose: 'inactivity'; dueAt: string }
  | { timerId: string; purpose: 'wait' | 'question_timeout'; stepId: string; dueAt: string };

export interface TimerScheduled {
  type: 'TimerScheduled';
  data: SessionEventData & SessionTimer;
}

export interface TimerFired {
  type: 'TimerFired';
  data: SessionEventData & { timerId: string };
}

/** A request to the AI agent for its reply; `turn` counts the agent's replies in this step, from 1. */
export interface AgentInvoked {
  type: 'AgentInvoked';
  data: SessionEventData & { requestId: string; stepId: string; turn: number };
}

export interface AgentReplied {
  type: 'AgentReplied';
  data: SessionEventData & { requestId: string; text: string };
}

export interface AgentFailed {
  type: 'AgentFailed';
  data: SessionEventData & { requestId: string; reason: string };
}

/** The conversation goes to a team of humans; `reason` says why when no route_to_team step chose it. */
export interface SessionRoutedToTeam {
  type: 'SessionRoutedToTeam';
  data: SessionEventData & { stepId: string; team: string; note?: string; reason?: string };
}

interface SessionEndData extends SessionEventData {
  workflowId: string;
}

/**
 * Why a session ran to an end of its own: the flow finished, handed the customer to a team, gave
 * up on an answer or on waiting for one, or — for a definition that could not be run (a step that
 * does not exist, or an endless run of steps) — stopped with `flow_error`.
 */
export type SessionCompletionReason = 'flow_finished' | 'routed_to_team' | 'invalid_answer' | 'question_timeout' | 'flow_error';

export interface SessionCompleted {
  type: 'SessionCompleted';
  /** `team` is set when the session was routed to one. */
  data: SessionEndData & { reason: SessionCompletionReason; team?: string };
}
/** An admin deactivated the workflow's sessions. */
export interface SessionDeactivated {
  type: 'SessionDeactivated';
  data: SessionEndData;
}
/** The session saw no activity for the workflow's `sessionTimeoutSeconds`. */
export interface SessionExpired {
  type: 'SessionExpired';
  data: SessionEndData;
}
/** The workflow was deleted. */
export interface SessionTerminated {
  type: 'SessionTerminated';
  data: SessionEndData;
}

export type SessionEnded = SessionCompleted | SessionDeactivated | SessionExpired | SessionTerminated;

/** Every way a session ends: what a projection that follows sessions to their end handles. */
export const SESSION_END_EVENT_TYPES = [
  'SessionCompleted',
  'SessionDeactivated',
  'SessionExpired',
  'SessionTerminated',
] as const satisfies readonly SessionEnded['type'][];

export type SessionEvent =
  | SessionStarted
  | CustomerMessageReceived
  | MessageSent
  | QuestionAsked
  | AnswerAccepted
  | AnswerRejected
  | StepEntered
  | TimerScheduled
  | TimerFired
  | AgentInvoked
  | AgentReplied
  | AgentFailed
  | SessionRoutedToTeam
  | SessionEnded;

export const sessionStreamName = (sessionId: string): string => `session-${sessionId}`;
