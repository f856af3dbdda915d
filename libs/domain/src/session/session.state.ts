/**
 * What a session is, folded from its stream: where it is in its flow, what it has collected, and
 * what it waits for. `evolveSession` is pure; events that do not apply (anything after the end)
 * leave the state as it is.
 */
import type { SessionCompletionReason, SessionEvent, SessionStarted, SessionTimer } from './session.events.js';
import type { SessionVariables } from './variables.js';
import { RECENT_MESSAGES } from '../conversation/conversation.decider.js';

/** What an active session is paused on; nothing happens in its flow until that arrives. */
export type SessionWaitingFor =
  /** The answer to a question; `timeout` is the question's timer when it has `timeoutSeconds`. */
  | { kind: 'answer'; stepId: string; variable: string; attempt: number; timeout?: SessionTimer }
  /** The timer of a `wait` step. */
  | { kind: 'timer'; stepId: string; timer: SessionTimer }
  /** The AI agent's reply to request `requestId`. */
  | { kind: 'agent'; stepId: string; requestId: string; turn: number }
  /** The customer's next message to the AI agent, which has replied `turn` times in this step. */
  | { kind: 'customer'; stepId: string; turn: number };

export type SessionEndReason = SessionCompletionReason | 'deactivated' | 'expired' | 'terminated';

/** How many messages, timers and agent requests a session has issued: the source of their ids. */
export interface IssuedCounts {
  messages: number;
  timers: number;
  agentRequests: number;
}

/** What SessionStarted fixed for the session's whole life, plus where it now stands. */
interface StartedSessionFacts extends Readonly<SessionStarted['data']> {
  /** The step the session entered last; none before the first. */
  currentStepId?: string;
  variables: SessionVariables;
  waitingFor?: SessionWaitingFor;
  /** Only the latest inactivity timer counts: each activity replaces it. */
  inactivityTimer?: SessionTimer;
  /**
   * The customer's latest messages (at most `RECENT_MESSAGES`), so that a message delivered twice
   * is taken once: one handled again is always among the latest.
   */
  receivedMessageIds: readonly string[];
  issued: IssuedCounts;
}

export interface ActiveSession extends StartedSessionFacts {
  status: 'active';
}

/** An ended session waits for nothing; `team` is the team it was handed to, if any. */
export interface EndedSession extends StartedSessionFacts {
  status: 'ended';
  endReason: SessionEndReason;
  team?: string;
}

export type StartedSession = ActiveSession | EndedSession;
export type SessionState = { status: 'initial' } | StartedSession;

export const initialSessionState: SessionState = { status: 'initial' };

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionStarted') return state.status === 'initial' ? startedSession(event.data) : state;
  return state.status === 'active' ? evolveActiveSession(state, event) : state;
}

export const foldSession = (events: readonly SessionEvent[]): SessionState => events.reduce(evolveSession, initialSessionState);

/** The timers whose firing the session would act on: its inactivity timer and its step's timer. */
export function pendingTimers(state: SessionState): SessionTimer[] {
  if (state.status !== 'active') return [];
  const stepTimer = stepTimerOf(state.waitingFor);
  return [state.inactivityTimer, stepTimer].filter((timer) => timer !== undefined);
}

export const startedSession = (data: SessionStarted['data']): ActiveSession => ({
  status: 'active',
  ...data,
  variables: {},
  receivedMessageIds: [],
  issued: { messages: 0, timers: 0, agentRequests: 0 },
});

/** Every event after the start moves an active session; the end events end it. */
export function evolveActiveSession(session: ActiveSession, event: Exclude<SessionEvent, SessionStarted>): StartedSession {
  switch (event.type) {
    case 'CustomerMessageReceived':
      return {
        ...session,
        receivedMessageIds: [...session.receivedMessageIds.slice(1 - RECENT_MESSAGES), event.data.messageId],
      };
    case 'MessageSent':
      return countIssued(session, 'messages');
    case 'QuestionAsked': {
      const { stepId, variable, attempt } = event.data;
      return { ...session, waitingFor: { kind: 'answer', stepId, variable, attempt } };
    }
    case 'AnswerAccepted': {
      const { variable, value } = event.data;
      return { ...session, variables: { ...session.variables, [variable]: value }, waitingFor: undefined };
    }
    case 'AnswerRejected':
      // The question stays open: it is asked again, or the session leaves the step.
      return session;
    case 'StepEntered':
      return { ...session, currentStepId: event.data.stepId, waitingFor: undefined };
    case 'TimerScheduled': {
      const { sessionId: _sessionId, ...timer } = event.data;
      return withTimer(countIssued(session, 'timers'), timer);
    }
    case 'TimerFired':
      return withoutTimer(session, event.data.timerId);
    case 'AgentInvoked': {
      const { stepId, requestId, turn } = event.data;
      return { ...countIssued(session, 'agentRequests'), waitingFor: { kind: 'agent', stepId, requestId, turn } };
    }
    case 'AgentReplied': {
      if (session.waitingFor?.kind !== 'agent') return session;
      const { stepId, turn } = session.waitingFor;
      return { ...session, waitingFor: { kind: 'customer', stepId, turn } };
    }
    case 'AgentFailed':
      return { ...session, waitingFor: undefined };
    case 'SessionRoutedToTeam':
      // The SessionCompleted that follows it ends the session.
      return session;
    case 'SessionCompleted':
      return ended(session, event.data.reason, event.data.team);
    case 'SessionDeactivated':
      return ended(session, 'deactivated');
    case 'SessionExpired':
      return ended(session, 'expired');
    case 'SessionTerminated':
      return ended(session, 'terminated');
  }
}

const countIssued = (session: ActiveSession, what: keyof IssuedCounts): ActiveSession => ({
  ...session,
  issued: { ...session.issued, [what]: session.issued[what] + 1 },
});

function withTimer(session: ActiveSession, timer: SessionTimer): ActiveSession {
  switch (timer.purpose) {
    case 'inactivity':
      return { ...session, inactivityTimer: timer };
    case 'wait':
      return { ...session, waitingFor: { kind: 'timer', stepId: timer.stepId, timer } };
    case 'question_timeout':
      // A question asked again gets a new timer, which replaces the one of the earlier attempt.
      return session.waitingFor?.kind === 'answer' ? { ...session, waitingFor: { ...session.waitingFor, timeout: timer } } : session;
  }
}

function withoutTimer(session: ActiveSession, timerId: string): ActiveSession {
  if (session.inactivityTimer?.timerId === timerId) return { ...session, inactivityTimer: undefined };
  if (stepTimerOf(session.waitingFor)?.timerId === timerId) return { ...session, waitingFor: undefined };
  return session;
}

function stepTimerOf(waitingFor: SessionWaitingFor | undefined): SessionTimer | undefined {
  switch (waitingFor?.kind) {
    case 'timer':
      return waitingFor.timer;
    case 'answer':
      return waitingFor.timeout;
    default:
      return undefined;
  }
}

const ended = (session: ActiveSession, endReason: SessionEndReason, team?: string): EndedSession => ({
  ...session,
  status: 'ended',
  endReason,
  ...(team === undefined ? {} : { team }),
  waitingFor: undefined,
  inactivityTimer: undefined,
});
