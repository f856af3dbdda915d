/**
 * The session stream's decider: `decideSession(command, state)` turns a command into events; the
 * caller loads the stream, folds it with `evolveSession`, adds event ids and metadata, and appends
 * with the expected revision. Pure: the time comes with the command, and every id the session
 * hands out is derived from its own counters, so deciding a redelivered command on the same state
 * decides the same events, and on the state after them decides nothing.
 */
import type { Decider } from '../decider.js';
import { checkAnswer } from './answer.js';
import type { SessionEvent, SessionStarted } from './session.events.js';
import {
  DEFAULT_MAX_AGENT_TURNS,
  DEFAULT_MAX_RETRIES,
  Decision,
  askQuestion,
  goToOrComplete,
  invokeAgent,
  nextStepId,
  pinnedStep,
  render,
  restartInactivityClock,
  routeToTeam,
  runFlow,
  sendMessage,
} from './session.flow.js';
import {
  evolveSession,
  initialSessionState,
  pendingTimers,
  startedSession,
  type ActiveSession,
  type SessionState,
  type SessionWaitingFor,
} from './session.state.js';

/**
 * A customer's first message on a channel starts a session of the workflow assigned to it, with
 * the definition of the version that is newest at that moment. The message starts the flow; it
 * does not answer anything.
 */
export interface StartSession {
  type: 'StartSession';
  /** The facts SessionStarted records (its `startedAt` is `now`), and the message that started it. */
  data: Omit<SessionStarted['data'], 'startedAt'> & {
    firstMessage: { messageId: string; text: string };
    now: string;
  };
}

/** `messageId` is the channel's id of the message, by which a redelivered message is recognised. */
export interface ReceiveCustomerMessage {
  type: 'ReceiveCustomerMessage';
  data: { sessionId: string; messageId: string; text: string; now: string };
}

export interface FireTimer {
  type: 'FireTimer';
  data: { sessionId: string; timerId: string; now: string };
}

/** With `handoff`, the agent asks for humans to take over. */
export interface RecordAgentReply {
  type: 'RecordAgentReply';
  /** `handoff` when the agent asked for humans, with the reason it gave, if any. */
  data: { sessionId: string; requestId: string; text: string; handoff: false | { reason?: string }; now: string };
}

/** The agent could not be reached, is not configured, or answered with nothing usable. */
export interface RecordAgentFailure {
  type: 'RecordAgentFailure';
  data: { sessionId: string; requestId: string; reason: string; now: string };
}

/** An admin ended the session: with every session of its workflow, or alone (Try it's Restart). */
export interface DeactivateSession {
  type: 'DeactivateSession';
  data: { sessionId: string };
}

/** The session's workflow was deleted. */
export interface TerminateSession {
  type: 'TerminateSession';
  data: { sessionId: string };
}

export type SessionCommand =
  StartSession | ReceiveCustomerMessage | FireTimer | RecordAgentReply | RecordAgentFailure | DeactivateSession | TerminateSession;

/** A command that does not apply (any longer) decides nothing: commands arrive at least once. */
function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  if (command.type === 'StartSession') return state.status === 'initial' ? startSession(command.data) : [];
  if (state.status !== 'active') return [];
  switch (command.type) {
    case 'ReceiveCustomerMessage':
      return receiveCustomerMessage(state, command.data);
    case 'FireTimer':
      return fireTimer(state, command.data);
    case 'RecordAgentReply':
      return recordAgentReply(state, command.data);
    case 'RecordAgentFailure':
      return recordAgentFailure(state, command.data);
    case 'DeactivateSession':
      return [{ type: 'SessionDeactivated', data: { sessionId: state.sessionId, workflowId: state.workflowId } }];
    case 'TerminateSession':
      return [{ type: 'SessionTerminated', data: { sessionId: state.sessionId, workflowId: state.workflowId } }];
  }
}

export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: () => initialSessionState,
};

function startSession({ firstMessage, steps, settings, now, ...session }: StartSession['data']): SessionEvent[] {
  // The session gets its own copy of the definition: nothing the caller does later can change it.
  const definition = structuredClone({ steps, settings });
  const started: SessionStarted = { type: 'SessionStarted', data: { ...session, ...definition, startedAt: now } };
  const decision = new Decision(startedSession(started.data), now, [started]);
  decision.record('CustomerMessageReceived', { messageId: firstMessage.messageId, text: firstMessage.text });
  runFlow(decision, definition.steps[0]?.id);
  restartInactivityClock(decision);
  return decision.events;
}

function receiveCustomerMessage(session: ActiveSession, { messageId, text, now }: ReceiveCustomerMessage['data']): SessionEvent[] {
  if (session.receivedMessageIds.includes(messageId)) return [];
  const decision = new Decision(session, now);
  decision.record('CustomerMessageReceived', { messageId, text });
  const { waitingFor } = session;
  if (waitingFor?.kind === 'answer') takeAnswer(decision, waitingFor, messageId, text);
  else if (waitingFor?.kind === 'customer') continueAgentConversation(decision, waitingFor);
  // Otherwise the flow waits for the clock or the agent, not for the customer: the message is only recorded.
  restartInactivityClock(decision);
  return decision.events;
}

/** A valid answer is stored and the flow goes on; an invalid one is asked again, until retries run out. */
function takeAnswer(
  decision: Decision,
  { stepId, variable, attempt }: Extract<SessionWaitingFor, { kind: 'answer' }>,
  messageId: string,
  text: string,
): void {
  const question = pinnedStep(decision.session, stepId, 'ask_question');
  const answer = checkAnswer(question, text);
  if (answer.accepted) {
    decision.record('AnswerAccepted', { stepId, variable, value: answer.value, messageId });
    return runFlow(decision, answer.next ?? nextStepId(decision.session.steps, question));
  }
  decision.record('AnswerRejected', { stepId, messageId, attempt, reason: answer.reason });
  const retries = attempt - 1;
  if (retries < (question.maxRetries ?? DEFAULT_MAX_RETRIES)) askQuestion(decision, question, attempt + 1);
  else goToOrComplete(decision, question.invalidNext, 'invalid_answer');
}

/** The customer answered the agent: the agent takes another turn, unless it has had all of them. */
function continueAgentConversation(decision: Decision, { stepId, turn }: Extract<SessionWaitingFor, { kind: 'customer' }>): void {
  const step = pinnedStep(decision.session, stepId, 'invoke_ai_agent');
  if (turn < (step.maxTurns ?? DEFAULT_MAX_AGENT_TURNS)) invokeAgent(decision, step, turn + 1);
  else runFlow(decision, nextStepId(decision.session.steps, step));
}

function fireTimer(session: ActiveSession, { timerId, now }: FireTimer['data']): SessionEvent[] {
  const timer = pendingTimers(session).find((pending) => pending.timerId === timerId);
  if (timer === undefined) return [];
  const decision = new Decision(session, now);
  decision.record('TimerFired', { timerId });
  switch (timer.purpose) {
    case 'inactivity':
      decision.record('SessionExpired', { workflowId: session.workflowId });
      break;
    case 'wait':
      runFlow(decision, nextStepId(session.steps, pinnedStep(session, timer.stepId, 'wait')));
      break;
    case 'question_timeout':
      goToOrComplete(decision, pinnedStep(session, timer.stepId, 'ask_question').timeoutNext, 'question_timeout');
      break;
  }
  restartInactivityClock(decision);
  return decision.events;
}

/** The agent's words go to the customer as they are; then the customer speaks, or humans take over. */
function recordAgentReply(session: ActiveSession, { requestId, text, handoff, now }: RecordAgentReply['data']): SessionEvent[] {
  const request = awaitedAgentRequest(session, requestId);
  if (request === undefined) return [];
  const decision = new Decision(session, now);
  decision.record('AgentReplied', { requestId, text });
  if (text.trim() !== '') sendMessage(decision, request.stepId, text);
  if (handoff) {
    const handedOver = 'the AI agent handed the conversation over';
    handOver(decision, request.stepId, handoff.reason === undefined ? handedOver : `${handedOver}: ${handoff.reason}`);
  } else restartInactivityClock(decision);
  return decision.events;
}

function recordAgentFailure(session: ActiveSession, { requestId, reason, now }: RecordAgentFailure['data']): SessionEvent[] {
  const request = awaitedAgentRequest(session, requestId);
  if (request === undefined) return [];
  const decision = new Decision(session, now);
  decision.record('AgentFailed', { requestId, reason });
  // The reason says what went wrong in words of its own ("the AI agent did not answer within …").
  handOver(decision, request.stepId, reason);
  return decision.events;
}

/** The request the session waits on, if `requestId` is it: late or repeated outcomes are ignored. */
function awaitedAgentRequest(session: ActiveSession, requestId: string): Extract<SessionWaitingFor, { kind: 'agent' }> | undefined {
  const { waitingFor } = session;
  return waitingFor?.kind === 'agent' && waitingFor.requestId === requestId ? waitingFor : undefined;
}

/** Routes the customer to the agent step's `handoffTeam`, with its `handoffText` first. */
function handOver(decision: Decision, stepId: string, reason: string): void {
  const { handoffTeam, handoffText } = pinnedStep(decision.session, stepId, 'invoke_ai_agent');
  if (handoffText !== undefined) sendMessage(decision, stepId, render(decision, handoffText));
  routeToTeam(decision, { stepId, team: handoffTeam, reason });
}
