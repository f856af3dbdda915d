import { describe, expect, it } from '@jest/globals';
import type { StepDefinition } from '../workflow/step.schema.js';
import { evolveSession, foldSession, initialSessionState, pendingTimers } from './session.state.js';
import { at, event } from './session.fixture.js';
import { RECENT_MESSAGES } from '../conversation/conversation.decider.js';

const steps: StepDefinition[] = [
  { id: 'q', type: 'ask_question', text: 'Email?', variable: 'email', answerType: 'email', timeoutSeconds: 60 },
  { id: 'agent', type: 'invoke_ai_agent', instructions: 'Help.', handoffTeam: 'support' },
];

const askedWithTimeout = [
  event.started(steps),
  event.received('c-1', 'Hi'),
  event.entered('q'),
  event.sent(1, 'q', 'Email?'),
  event.asked('q', 'email'),
  event.questionTimer(1, 'q', 60),
  event.inactivity(2, 0),
];

const questionTimer = { timerId: 's-1:t:1', purpose: 'question_timeout', stepId: 'q', dueAt: at(60) };
const inactivityTimer = { timerId: 's-1:t:2', purpose: 'inactivity', dueAt: at(86_400) };

describe('session state', () => {
  it("keeps only the customer's latest message ids however long the session runs", () => {
    const received = Array.from({ length: RECENT_MESSAGES + 10 }, (_, index) => event.received(`c-${index}`, 'more'));
    const state = foldSession([event.started(steps), ...received]);
    if (state.status !== 'active') throw new Error('the session should be active');
    expect(state.receivedMessageIds).toHaveLength(RECENT_MESSAGES);
    expect(state.receivedMessageIds.at(-1)).toBe(`c-${RECENT_MESSAGES + 9}`);
    expect(state.receivedMessageIds[0]).toBe('c-10');
  });

  it('starts initial', () => {
    expect(foldSession([])).toEqual(initialSessionState);
    expect(pendingTimers(initialSessionState)).toEqual([]);
  });

  it('knows what it runs, where it is, and what it waits for', () => {
    const state = foldSession(askedWithTimeout);
    expect(state).toEqual({
      status: 'active',
      sessionId: 's-1',
      workflowId: 'wf-1',
      workflowVersion: 3,
      workspace: 'acme',
      channelId: 'webchat-1',
      contactId: 'contact-1',
      contactName: 'Ada',
      steps,
      settings: {},
      startedAt: at(0),
      currentStepId: 'q',
      variables: {},
      waitingFor: { kind: 'answer', stepId: 'q', variable: 'email', attempt: 1, timeout: questionTimer },
      inactivityTimer,
      receivedMessageIds: ['c-1'],
      issued: { messages: 1, timers: 2, agentRequests: 0 },
    });
    expect(pendingTimers(state)).toEqual([inactivityTimer, questionTimer]);
  });

  it('stores answers, moves on and waits for the agent, then for the customer', () => {
    const answered = [
      ...askedWithTimeout,
      event.received('c-2', 'ada@example.com'),
      event.accepted('q', 'email', 'ada@example.com', 'c-2'),
      event.entered('agent'),
      event.invoked(1, 'agent', 1),
    ];
    expect(foldSession(answered)).toMatchObject({
      currentStepId: 'agent',
      variables: { email: 'ada@example.com' },
      waitingFor: { kind: 'agent', stepId: 'agent', requestId: 's-1:a:1', turn: 1 },
      receivedMessageIds: ['c-1', 'c-2'],
      issued: { messages: 1, timers: 2, agentRequests: 1 },
    });
    // The question's timer no longer counts once the session has left the question.
    expect(pendingTimers(foldSession(answered))).toEqual([inactivityTimer]);
    expect(foldSession([...answered, event.replied(1, 'Hello')])).toMatchObject({
      waitingFor: { kind: 'customer', stepId: 'agent', turn: 1 },
    });
  });

  it('forgets a timer once it has fired', () => {
    const state = foldSession([...askedWithTimeout, event.fired(2)]);
    expect(state).toMatchObject({ inactivityTimer: undefined });
    expect(pendingTimers(state)).toEqual([questionTimer]);
  });

  it('ends with the reason and the team, waiting for nothing', () => {
    const state = foldSession([
      ...askedWithTimeout,
      event.fired(1),
      event.routed('q', 'support', { reason: 'test' }),
      event.completed('routed_to_team', 'support'),
    ]);
    expect(state).toMatchObject({ status: 'ended', endReason: 'routed_to_team', team: 'support', currentStepId: 'q' });
    expect(pendingTimers(state)).toEqual([]);
  });

  it.each([
    [event.deactivated(), 'deactivated'],
    [event.expired(), 'expired'],
    [event.terminated(), 'terminated'],
    [event.completed('question_timeout'), 'question_timeout'],
  ])('records %j as end reason %s', (endEvent, endReason) => {
    expect(foldSession([...askedWithTimeout, endEvent])).toMatchObject({ status: 'ended', endReason });
  });

  it('changes no more after its end, nor on a second start', () => {
    const ended = foldSession([...askedWithTimeout, event.deactivated()]);
    expect(evolveSession(ended, event.expired())).toBe(ended);
    expect(evolveSession(ended, event.received('c-9', 'late'))).toBe(ended);
    const active = foldSession(askedWithTimeout);
    expect(evolveSession(active, event.started([]))).toBe(active);
  });
});
