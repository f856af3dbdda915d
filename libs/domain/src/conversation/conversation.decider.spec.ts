import { describe, expect, it } from '@jest/globals';
import { CorruptStreamError } from '../errors.js';
import { DeciderSpecification } from '../testing/decider-specification.fixture.js';
import { type ConversationCommand, conversationDecider, RECENT_MESSAGES } from './conversation.decider.js';
import type { ConversationEvent, MessageReceived } from './conversation.events.js';

const { given } = DeciderSpecification.for(conversationDecider);

const conversation = { channelId: 'ch-1', contactId: 'visitor-7' };
const received = (messageId: string, text = 'hi'): MessageReceived => ({
  type: 'MessageReceived',
  data: { ...conversation, messageId, text, receivedAt: '2026-11-27T10:00:00.000Z' },
});
const route = (messageId: string, facts: Partial<Extract<ConversationCommand, { type: 'RouteMessage' }>['data']> = {}) =>
  ({
    type: 'RouteMessage',
    data: { messageId, lastSessionActive: false, newSessionId: `session-for-${messageId}`, ...facts },
  }) as const;
const routed = (messageId: string, sessionId: string, startsSession: boolean): ConversationEvent => ({
  type: 'MessageRoutedToSession',
  data: { ...conversation, messageId, sessionId, workflowId: 'wf-1', startsSession },
});

describe('conversation decider', () => {
  it('records a received message once, however often it is delivered', () => {
    given([])
      .when({ type: 'ReceiveMessage', data: received('m1').data })
      .then([received('m1')]);
    given([received('m1')])
      .when({ type: 'ReceiveMessage', data: received('m1', 'again').data })
      .then([]);
  });

  it('starts a session of the assigned workflow when the contact is in none', () => {
    given([received('m1')])
      .when(route('m1', { assignedWorkflowId: 'wf-1' }))
      .then([routed('m1', 'session-for-m1', true)]);
  });

  it("sends a message to the contact's active session", () => {
    given([received('m1'), routed('m1', 'session-for-m1', true), received('m2')])
      .when(route('m2', { lastSessionActive: true, lastSessionWorkflowId: 'wf-1', assignedWorkflowId: 'wf-2' }))
      .then([routed('m2', 'session-for-m1', false)]);
  });

  it('starts a fresh session once the last one has ended', () => {
    given([received('m1'), routed('m1', 'session-for-m1', true), received('m2')])
      .when(route('m2', { lastSessionActive: false, assignedWorkflowId: 'wf-1' }))
      .then([routed('m2', 'session-for-m2', true)]);
  });

  it('records that a message went nowhere when the channel has no workflow', () => {
    given([received('m1')])
      .when(route('m1'))
      .then([{ type: 'MessageNotRouted', data: { ...conversation, messageId: 'm1', reason: 'no_workflow' } }]);
  });

  it('routes a message only once: handled again, it decides nothing', () => {
    given([received('m1'), routed('m1', 'session-for-m1', true)])
      .when(route('m1', { assignedWorkflowId: 'wf-1' }))
      .then([]);
    given([received('m1'), { type: 'MessageNotRouted', data: { ...conversation, messageId: 'm1', reason: 'no_workflow' } }])
      .when(route('m1', { assignedWorkflowId: 'wf-1' }))
      .then([]);
  });

  it('keeps no message texts, and only the latest routed messages however long the conversation grows', () => {
    const events: ConversationEvent[] = [];
    for (let index = 0; index < RECENT_MESSAGES * 3; index++)
      events.push(received(`m${index}`, `secret ${index}`), routed(`m${index}`, 's-1', index === 0));
    const state = events.reduce(conversationDecider.evolve, conversationDecider.initialState());
    expect(state.messages.size).toBe(RECENT_MESSAGES);
    expect(JSON.stringify([...state.messages])).not.toContain('secret');
    const latest = `m${RECENT_MESSAGES * 3 - 1}`;
    given(events)
      .when({ type: 'ReceiveMessage', data: received(latest).data })
      .then([]);
    given(events)
      .when(route(latest, { assignedWorkflowId: 'wf-1' }))
      .then([]);
  });

  it('never forgets a message still waiting for its route', () => {
    const waiting = [received('first'), ...Array.from({ length: RECENT_MESSAGES * 2 }, (_, index) => received(`m${index}`))];
    given(waiting)
      .when(route('first', { lastSessionActive: false, assignedWorkflowId: 'wf-1' }))
      .then([routed('first', 'session-for-first', true)]);
  });

  describe('with a cap on the open sessions of the channel', () => {
    const refused = (messageId: string, openSessions: number, maxOpenSessions: number): ConversationEvent => ({
      type: 'SessionRefused',
      data: { ...conversation, messageId, workflowId: 'wf-1', reason: 'channel_session_cap', openSessions, maxOpenSessions },
    });

    it('starts a session while the channel is below its cap', () => {
      given([received('m1')])
        .when(route('m1', { assignedWorkflowId: 'wf-1', channelSessions: { open: 2, max: 3 } }))
        .then([routed('m1', 'session-for-m1', true)]);
    });

    it('refuses the session once the channel has its most open sessions, recording the count and the cap', () => {
      given([received('m1')])
        .when(route('m1', { assignedWorkflowId: 'wf-1', channelSessions: { open: 3, max: 3 } }))
        .then([refused('m1', 3, 3)]);
    });

    it('keeps a contact in its active session however full the channel is', () => {
      given([received('m1'), routed('m1', 'session-for-m1', true), received('m2')])
        .when(route('m2', { lastSessionActive: true, lastSessionWorkflowId: 'wf-1', channelSessions: { open: 9, max: 3 } }))
        .then([routed('m2', 'session-for-m1', false)]);
    });

    it('says the channel has no workflow rather than that it is full', () => {
      given([received('m1')])
        .when(route('m1', { channelSessions: { open: 3, max: 3 } }))
        .then([{ type: 'MessageNotRouted', data: { ...conversation, messageId: 'm1', reason: 'no_workflow' } }]);
    });

    it('routes a refused message only once, even when the channel has room by the time it is handled again', () => {
      given([received('m1'), refused('m1', 3, 3)])
        .when(route('m1', { assignedWorkflowId: 'wf-1', channelSessions: { open: 0, max: 3 } }))
        .then([]);
    });

    it("starts a session with the contact's next message once the channel has room", () => {
      given([received('m1'), refused('m1', 3, 3), received('m2')])
        .when(route('m2', { assignedWorkflowId: 'wf-1', channelSessions: { open: 2, max: 3 } }))
        .then([routed('m2', 'session-for-m2', true)]);
    });
  });

  it('refuses to route a message it never received', () => {
    given([])
      .when(route('m1'))
      .thenThrows(CorruptStreamError, /never received/);
  });
});
