/**
 * Running a session's flow: entering steps one after another until one pauses the session (a
 * question, a wait, the AI agent) or ends it. A decision is built event by event, each event
 * folded into the session at once, so that every step sees what the ones before it did: the
 * variables they set and the ids they used up.
 */
import type { AskQuestionStep, InvokeAiAgentStep, SendMessageStep, StepDefinition, WaitStep } from '../workflow/step.schema.js';
import { CorruptStreamError } from '../errors.js';
import { optionValue } from './answer.js';
import { chooseBranch } from './branch.js';
import type { MessageChoice, SessionCompletionReason, SessionEvent, SessionTimer } from './session.events.js';
import { evolveActiveSession, type IssuedCounts, type StartedSession } from './session.state.js';
import { renderTemplate } from './template.js';

export const DEFAULT_SESSION_TIMEOUT_SECONDS = 86_400;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_AGENT_TURNS = 5;
/** Validation rejects loops that never pause; this stops a session that would run away all the same. */
export const STEP_BUDGET = 1000;

type DistributiveOmit<Union, Key extends PropertyKey> = Union extends unknown ? Omit<Union, Key> : never;
type FollowingEvent = Exclude<SessionEvent, { type: 'SessionStarted' }>;
/** An event's data without the session id, which the decision adds. */
type DataOf<Type extends FollowingEvent['type']> = DistributiveOmit<Extract<FollowingEvent, { type: Type }>['data'], 'sessionId'>;

/** The events decided so far for one command, and the session as they leave it. */
export class Decision {
  constructor(
    private current: StartedSession,
    /** The command's time: the clock the timers it schedules start from. */
    readonly now: string,
    readonly events: SessionEvent[] = [],
  ) {}

  get session(): StartedSession {
    return this.current;
  }

  record<Type extends FollowingEvent['type']>(type: Type, data: DataOf<Type>): void {
    const event = { type, data: { sessionId: this.current.sessionId, ...data } } as FollowingEvent;
    this.events.push(event);
    if (this.current.status === 'active') this.current = evolveActiveSession(this.current, event);
  }
}

/** Steps after which the session goes on to `next`, by default the following step. */
type StepWithNext = SendMessageStep | AskQuestionStep | InvokeAiAgentStep | WaitStep;

/** Where a step leads: its `next`, else the following step, else nowhere (the flow is finished). */
export function nextStepId(steps: readonly StepDefinition[], step: StepWithNext): string | undefined {
  return step.next ?? steps[steps.findIndex(({ id }) => id === step.id) + 1]?.id;
}

/** A step the session recorded being in; that its pinned definition lacks it means the stream is corrupt. */
export function pinnedStep<Type extends StepDefinition['type']>(
  session: StartedSession,
  stepId: string,
  type: Type,
): Extract<StepDefinition, { type: Type }> {
  const step = session.steps.find(({ id }) => id === stepId);
  if (step?.type !== type) throw new CorruptStreamError(`Session ${session.sessionId} has no ${type} step "${stepId}"`);
  return step as Extract<StepDefinition, { type: Type }>;
}

/** Enters steps from `stepId` on (none: past the last step) until one pauses or ends the session. */
export function runFlow(decision: Decision, stepId: string | undefined): void {
  let target = stepId;
  for (let entered = 0; entered < STEP_BUDGET; entered++) {
    if (target === undefined) return complete(decision, 'flow_finished');
    const step = decision.session.steps.find(({ id }) => id === target);
    if (step === undefined) return complete(decision, 'flow_error');
    decision.record('StepEntered', { stepId: step.id });
    const outcome = runStep(decision, step);
    if (outcome === 'stop') return;
    target = outcome.goTo;
  }
  complete(decision, 'flow_error');
}

/** Goes on at `target` when the step names one for this case, else completes for `reason`. */
export function goToOrComplete(decision: Decision, target: string | undefined, reason: SessionCompletionReason): void {
  if (target === undefined) complete(decision, reason);
  else runFlow(decision, target);
}

type StepOutcome = { goTo: string | undefined } | 'stop';

function runStep(decision: Decision, step: StepDefinition): StepOutcome {
  const { steps, variables } = decision.session;
  switch (step.type) {
    case 'send_message':
      sendMessage(decision, step.id, render(decision, step.text));
      return { goTo: nextStepId(steps, step) };
    case 'ask_question':
      askQuestion(decision, step, 1);
      return 'stop';
    case 'branch':
      return { goTo: chooseBranch(step, variables) };
    case 'route_to_team': {
      const note = step.note === undefined ? {} : { note: render(decision, step.note) };
      routeToTeam(decision, { stepId: step.id, team: step.team, ...note });
      return 'stop';
    }
    case 'invoke_ai_agent':
      invokeAgent(decision, step, 1);
      return 'stop';
    case 'wait':
      scheduleTimer(decision, { purpose: 'wait', stepId: step.id, dueAt: addSeconds(decision.now, step.seconds) });
      return 'stop';
    case 'end':
      complete(decision, 'flow_finished');
      return 'stop';
  }
}

/** `text` is sent as it is: templates are rendered by the caller, and an AI agent's words never are. */
export function sendMessage(decision: Decision, stepId: string, text: string, choices?: MessageChoice[]): void {
  // A text made only of placeholders without a value says nothing: the customer gets no empty
  // message (which Meta would refuse). Choices still go out: they are the message.
  if (choices === undefined && text.trim() === '') return;
  const messageId = nextId(decision.session, 'messages');
  decision.record('MessageSent', { messageId, stepId, text, ...(choices === undefined ? {} : { choices }) });
}

/** Asks (attempt 1) or asks again with the retry text, then waits for the answer: for a while, if the question says. */
export function askQuestion(decision: Decision, question: AskQuestionStep, attempt: number): void {
  const retryText = question.retryText ?? `Sorry, I didn't understand that. ${question.text}`;
  const text = attempt === 1 ? question.text : retryText;
  const choices = question.options?.map((option) => ({ label: option.label, value: optionValue(option) }));
  sendMessage(decision, question.id, render(decision, text), choices);
  decision.record('QuestionAsked', { stepId: question.id, variable: question.variable, attempt });
  if (question.timeoutSeconds !== undefined) {
    const dueAt = addSeconds(decision.now, question.timeoutSeconds);
    scheduleTimer(decision, { purpose: 'question_timeout', stepId: question.id, dueAt });
  }
}

export function invokeAgent(decision: Decision, step: InvokeAiAgentStep, turn: number): void {
  const requestId = nextId(decision.session, 'agentRequests');
  decision.record('AgentInvoked', { requestId, stepId: step.id, turn });
}

/** Hands the customer to a team; a hand-off completes the session. */
export function routeToTeam(decision: Decision, routing: { stepId: string; team: string; note?: string; reason?: string }): void {
  decision.record('SessionRoutedToTeam', routing);
  complete(decision, 'routed_to_team', routing.team);
}

function complete(decision: Decision, reason: SessionCompletionReason, team?: string): void {
  const { workflowId } = decision.session;
  decision.record('SessionCompleted', team === undefined ? { workflowId, reason } : { workflowId, reason, team });
}

/**
 * Every decision that leaves the session active restarts its inactivity clock; the new timer
 * replaces the old one. While a wait step holds the session, the clock starts when the wait is
 * over: a session that only does what its flow says must not expire for it.
 */
export function restartInactivityClock(decision: Decision): void {
  const { session, now } = decision;
  if (session.status !== 'active') return;
  const from = session.waitingFor?.kind === 'timer' ? session.waitingFor.timer.dueAt : now;
  const timeout = session.settings.sessionTimeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_SECONDS;
  scheduleTimer(decision, { purpose: 'inactivity', dueAt: addSeconds(from, timeout) });
}

function scheduleTimer(decision: Decision, timer: DistributiveOmit<SessionTimer, 'timerId'>): void {
  const timerId = nextId(decision.session, 'timers');
  decision.record('TimerScheduled', { timerId, ...timer });
}

const ID_TAGS: { [What in keyof IssuedCounts]: string } = { messages: 'm', timers: 't', agentRequests: 'a' };

/** The id of the session's next message, timer or agent request, e.g. `<sessionId>:m:3` for its third message. */
const nextId = (session: StartedSession, what: keyof IssuedCounts): string =>
  `${session.sessionId}:${ID_TAGS[what]}:${session.issued[what] + 1}`;

export const render = (decision: Decision, text: string): string =>
  renderTemplate(text, {
    variables: decision.session.variables,
    contact: { name: decision.session.contactName },
  });

const addSeconds = (isoTime: string, seconds: number): string => new Date(Date.parse(isoTime) + seconds * 1000).toISOString();
