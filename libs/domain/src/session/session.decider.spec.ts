import { describe, expect, it } from '@jest/globals';
import { DeciderSpecification } from '../testing/decider-specification.fixture.js';
import type { StepDefinition } from '../workflow/step.schema.js';
import { sessionDecider, type SessionCommand, type StartSession } from './session.decider.js';
import type { SessionEvent } from './session.events.js';
import { STEP_BUDGET } from './session.flow.js';
import { foldSession, type SessionState } from './session.state.js';
import { DAY, command, event } from './session.fixture.js';

// ---- Given / When / Then ----

/**
 * Every outcome is also checked for what at-least-once delivery relies on: deciding again on the
 * same state decides the same events (ids included), and deciding again once they are stored
 * decides nothing.
 */
const { given } = DeciderSpecification.for(sessionDecider, { idempotent: true });

/** A conversation told command by command: each `say` decides on everything stored so far. */
function conversation(start: StartSession) {
  const stored: SessionEvent[] = [];
  const say = (sessionCommand: SessionCommand): SessionEvent[] => {
    const decided = sessionDecider.decide(sessionCommand, foldSession(stored));
    stored.push(...decided);
    return decided;
  };
  const opening = say(start);
  return { opening, say, state: (): SessionState => foldSession(stored), stored };
}

const textsSent = (events: SessionEvent[]): string[] =>
  events.flatMap((sessionEvent) => (sessionEvent.type === 'MessageSent' ? [sessionEvent.data.text] : []));

// ---- Flows ----

/** The conversation the product documentation walks through. */
const orderSupport: StepDefinition[] = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}, welcome to Acme!' },
  {
    id: 'ask-order',
    type: 'ask_question',
    text: 'What is your order number?',
    variable: 'order',
    answerType: 'number',
    retryText: 'Please send only the digits of your order number.',
  },
  { id: 'thanks', type: 'send_message', text: 'Thanks {{contact.name}}, looking at order {{ order }}.' },
  {
    id: 'triage',
    type: 'branch',
    branches: [{ condition: { variable: 'order', op: 'gt', value: 90000 }, next: 'priority' }],
    elseNext: 'support',
  },
  { id: 'support', type: 'route_to_team', team: 'support', note: 'Order {{order}}' },
  { id: 'priority', type: 'route_to_team', team: 'priority', note: 'Large order {{order}}' },
];

const question = (extra: Partial<Extract<StepDefinition, { type: 'ask_question' }>> = {}): StepDefinition => ({
  id: 'q',
  type: 'ask_question',
  text: 'Your email, {{contact.name}}?',
  variable: 'email',
  answerType: 'email',
  ...extra,
});
const done: StepDefinition = { id: 'done', type: 'send_message', text: 'Done: {{email}}' };
const agent = (extra: Partial<Extract<StepDefinition, { type: 'invoke_ai_agent' }>> = {}): StepDefinition => ({
  id: 'agent',
  type: 'invoke_ai_agent',
  instructions: 'Help with orders.',
  handoffTeam: 'support',
  ...extra,
});
const bye: StepDefinition = { id: 'bye', type: 'send_message', text: 'Bye!' };

/** The stream of a session of `steps` whose first step asks a question (attempt 1, no timeout). */
const askedQuestion = (steps: StepDefinition[], variable = 'email'): SessionEvent[] => [
  event.started(steps),
  event.received('c-1', 'Hi'),
  event.entered(steps[0].id),
  event.sent(1, steps[0].id, 'Your email, Ada?'),
  event.asked(steps[0].id, variable),
  event.inactivity(1, 0),
];

/** The stream of a session of `steps` whose first step invoked the agent (turn 1). */
const invokedAgent = (steps: StepDefinition[]): SessionEvent[] => [
  event.started(steps),
  event.received('c-1', 'Hi'),
  event.entered('agent'),
  event.invoked(1, 'agent', 1),
  event.inactivity(1, 0),
];

describe('session decider', () => {
  describe('the documented conversation', () => {
    it('welcomes, asks, asks again after an invalid answer, replies with the answer, branches and routes', () => {
      const { opening, say, state } = conversation(command.start(orderSupport));
      expect(opening).toEqual([
        event.started(orderSupport),
        event.received('c-1', 'Hi'),
        event.entered('welcome'),
        event.sent(1, 'welcome', 'Hi Ada, welcome to Acme!'),
        event.entered('ask-order'),
        event.sent(2, 'ask-order', 'What is your order number?'),
        event.asked('ask-order', 'order'),
        event.inactivity(1, 0),
      ]);

      expect(say(command.message('c-2', 'the blue one', 60))).toEqual([
        event.received('c-2', 'the blue one'),
        event.rejected('ask-order', 'c-2', 1, 'the answer is not a number'),
        event.sent(3, 'ask-order', 'Please send only the digits of your order number.'),
        event.asked('ask-order', 'order', 2),
        event.inactivity(2, 60),
      ]);

      expect(say(command.message('c-3', ' 4711 ', 120))).toEqual([
        event.received('c-3', ' 4711 '),
        event.accepted('ask-order', 'order', 4711, 'c-3'),
        event.entered('thanks'),
        event.sent(4, 'thanks', 'Thanks Ada, looking at order 4711.'),
        event.entered('triage'),
        event.entered('support'),
        event.routed('support', 'support', { note: 'Order 4711' }),
        event.completed('routed_to_team', 'support'),
      ]);
      expect(state()).toMatchObject({ status: 'ended', endReason: 'routed_to_team', team: 'support' });
    });

    it('takes the other branch for other answers', () => {
      const { say } = conversation(command.start(orderSupport));
      expect(say(command.message('c-2', '90001', 60)).slice(-4)).toEqual([
        event.entered('triage'),
        event.entered('priority'),
        event.routed('priority', 'priority', { note: 'Large order 90001' }),
        event.completed('routed_to_team', 'priority'),
      ]);
    });
  });

  describe('StartSession', () => {
    it('pins the definition, records the first message (not as an answer) and runs to the first pause', () => {
      const steps = [question(), done];
      given([]).when(command.start(steps)).then(askedQuestion(steps));
    });

    it("arms the inactivity timer with the workflow's session timeout", () => {
      const steps = [question()];
      given([])
        .when(command.start(steps, { sessionTimeoutSeconds: 600 }))
        .then([
          event.started(steps, { sessionTimeoutSeconds: 600 }),
          event.received('c-1', 'Hi'),
          event.entered('q'),
          event.sent(1, 'q', 'Your email, Ada?'),
          event.asked('q', 'email'),
          event.inactivity(1, 0, 600),
        ]);
    });

    it('completes at once a workflow without steps, arming no timer', () => {
      given([])
        .when(command.start([]))
        .then([event.started([]), event.received('c-1', 'Hi'), event.completed('flow_finished')]);
    });

    it('starts a session only once', () => {
      given(askedQuestion([question()]))
        .when(command.start([bye]))
        .then([]);
    });

    it('keeps its own copy of the definition', () => {
      const steps: StepDefinition[] = [{ id: 'hello', type: 'send_message', text: 'Hello' }];
      const start = command.start(steps);
      const [started] = sessionDecider.decide(start, foldSession([]));
      (start.data.steps[0] as { text: string }).text = 'Changed';
      expect(started).toEqual(event.started([{ id: 'hello', type: 'send_message', text: 'Hello' }]));
    });

    it('sends no message whose text comes out blank, and goes on with the flow', () => {
      const start = command.start([
        { id: 'nothing', type: 'send_message', text: '{{unknown}} {{contact.name}}' },
        { id: 'hello', type: 'send_message', text: 'Hello.' },
      ]);
      delete start.data.contactName;
      expect(textsSent(sessionDecider.decide(start, foldSession([])))).toEqual(['Hello.']);
    });

    it('renders an unknown contact name as empty', () => {
      const start = command.start([bye, { id: 'hello', type: 'send_message', text: 'Hello {{contact.name}}.' }]);
      delete start.data.contactName;
      expect(textsSent(sessionDecider.decide(start, foldSession([])))).toEqual(['Bye!', 'Hello .']);
    });
  });

  describe('running the flow', () => {
    it('goes to the following step by default, to `next` when given, and completes after the last step', () => {
      const steps: StepDefinition[] = [
        { id: 'one', type: 'send_message', text: 'One', next: 'three' },
        { id: 'two', type: 'send_message', text: 'Two' },
        { id: 'three', type: 'send_message', text: 'Three' },
      ];
      given([])
        .when(command.start(steps))
        .then([
          event.started(steps),
          event.received('c-1', 'Hi'),
          event.entered('one'),
          event.sent(1, 'one', 'One'),
          event.entered('three'),
          event.sent(2, 'three', 'Three'),
          event.completed('flow_finished'),
        ]);
    });

    it('completes at an end step, running nothing after it', () => {
      const steps: StepDefinition[] = [{ id: 'stop', type: 'end' }, bye];
      given([])
        .when(command.start(steps))
        .then([event.started(steps), event.received('c-1', 'Hi'), event.entered('stop'), event.completed('flow_finished')]);
    });

    it('routes to a team without a note', () => {
      const steps: StepDefinition[] = [{ id: 'humans', type: 'route_to_team', team: 'sales' }, bye];
      given([])
        .when(command.start(steps))
        .then([
          event.started(steps),
          event.received('c-1', 'Hi'),
          event.entered('humans'),
          event.routed('humans', 'sales'),
          event.completed('routed_to_team', 'sales'),
        ]);
    });

    it('takes the first branch that holds, else elseNext', () => {
      const steps: StepDefinition[] = [
        question({ answerType: 'text', text: 'Topic?', variable: 'topic' }),
        {
          id: 'route',
          type: 'branch',
          branches: [
            { condition: { variable: 'topic', op: 'contains', value: 'refund' }, next: 'refunds' },
            { condition: { variable: 'topic', op: 'contains', value: 'money' }, next: 'billing' },
          ],
          elseNext: 'general',
        },
        { id: 'refunds', type: 'send_message', text: 'Refunds', next: 'bye' },
        { id: 'billing', type: 'send_message', text: 'Billing', next: 'bye' },
        { id: 'general', type: 'send_message', text: 'General' },
        bye,
      ];
      const replyTo = (answer: string): string[] => textsSent(conversation(command.start(steps)).say(command.message('c-2', answer, 1)));
      expect(replyTo('Money back, a REFUND please')).toEqual(['Refunds', 'Bye!']);
      expect(replyTo('money')).toEqual(['Billing', 'Bye!']);
      expect(replyTo('hello')).toEqual(['General', 'Bye!']);
    });

    it('stops a definition that points at a step it does not have with flow_error', () => {
      const steps: StepDefinition[] = [{ id: 'one', type: 'send_message', text: 'One', next: 'nowhere' }];
      given([])
        .when(command.start(steps))
        .then([
          event.started(steps),
          event.received('c-1', 'Hi'),
          event.entered('one'),
          event.sent(1, 'one', 'One'),
          event.completed('flow_error'),
        ]);
    });

    it('stops a loop that never pauses with flow_error once the step budget is spent', () => {
      const steps: StepDefinition[] = [{ id: 'spin', type: 'branch', branches: [], elseNext: 'spin' }];
      const decided = sessionDecider.decide(command.start(steps), foldSession([]));
      expect(decided.filter(({ type }) => type === 'StepEntered')).toHaveLength(STEP_BUDGET);
      expect(decided.at(-1)).toEqual(event.completed('flow_error'));
    });
  });

  describe('answers', () => {
    it.each<[string, Partial<Extract<StepDefinition, { type: 'ask_question' }>>, string, string | number]>([
      ['text', { answerType: 'text' }, '  anything  ', 'anything'],
      ['text (the default)', { answerType: undefined }, 'anything', 'anything'],
      ['number', { answerType: 'number' }, '-12.5', -12.5],
      ['email', { answerType: 'email' }, 'ada@example.com', 'ada@example.com'],
      ['phone', { answerType: 'phone' }, '+44 (20) 7946-0958', '+442079460958'],
      ['choice', { answerType: 'choice', options: [{ label: 'Yes', value: 'y' }, { label: 'No' }] }, 'yes', 'y'],
    ])('accepts a %s answer, stores it and goes on', (_type, fields, answer, value) => {
      const steps = [question(fields), done];
      given(askedQuestion(steps))
        .when(command.message('c-2', answer, 30))
        .then([
          event.received('c-2', answer),
          event.accepted('q', 'email', value, 'c-2'),
          event.entered('done'),
          event.sent(2, 'done', `Done: ${value}`),
          event.completed('flow_finished'),
        ]);
    });

    it('goes to the question’s next after an answer', () => {
      const steps = [question({ next: 'done' }), bye, done];
      expect(textsSent(sessionDecider.decide(command.message('c-2', 'a@b.co', 5), foldSession(askedQuestion(steps))))).toEqual([
        'Done: a@b.co',
      ]);
    });

    it('asks again with the default retry text, the question rendered', () => {
      given(askedQuestion([question()]))
        .when(command.message('c-2', 'no idea', 30))
        .then([
          event.received('c-2', 'no idea'),
          event.rejected('q', 'c-2', 1, 'the answer is not an email address'),
          event.sent(2, 'q', "Sorry, I didn't understand that. Your email, Ada?"),
          event.asked('q', 'email', 2),
          event.inactivity(2, 30),
        ]);
    });

    it('renders the retry text', () => {
      const steps = [question({ retryText: '{{contact.name}}, an address like ada@example.com please.' })];
      expect(textsSent(sessionDecider.decide(command.message('c-2', 'no', 1), foldSession(askedQuestion(steps))))).toEqual([
        'Ada, an address like ada@example.com please.',
      ]);
    });

    describe('when the retries run out', () => {
      const rejectTwice = (steps: StepDefinition[]): SessionEvent[] => [
        ...askedQuestion(steps),
        event.received('c-2', 'no'),
        event.rejected('q', 'c-2', 1, 'the answer is not an email address'),
        event.sent(2, 'q', "Sorry, I didn't understand that. Your email, Ada?"),
        event.asked('q', 'email', 2),
        event.inactivity(2, 1),
        event.received('c-3', 'still no'),
        event.rejected('q', 'c-3', 2, 'the answer is not an email address'),
        event.sent(3, 'q', "Sorry, I didn't understand that. Your email, Ada?"),
        event.asked('q', 'email', 3),
        event.inactivity(3, 2),
      ];

      it('completes with invalid_answer after the last retry (2 by default)', () => {
        given(rejectTwice([question(), done]))
          .when(command.message('c-4', 'never', 3))
          .then([
            event.received('c-4', 'never'),
            event.rejected('q', 'c-4', 3, 'the answer is not an email address'),
            event.completed('invalid_answer'),
          ]);
      });

      it('goes to invalidNext after the last retry', () => {
        const humans: StepDefinition = { id: 'humans', type: 'route_to_team', team: 'support' };
        const steps = [question({ invalidNext: 'humans' }), done, humans];
        given(rejectTwice(steps))
          .when(command.message('c-4', 'never', 3))
          .then([
            event.received('c-4', 'never'),
            event.rejected('q', 'c-4', 3, 'the answer is not an email address'),
            event.entered('humans'),
            event.routed('humans', 'support'),
            event.completed('routed_to_team', 'support'),
          ]);
      });

      it('gives up at the first invalid answer when maxRetries is 0', () => {
        given(askedQuestion([question({ maxRetries: 0 }), done]))
          .when(command.message('c-2', 'no', 1))
          .then([
            event.received('c-2', 'no'),
            event.rejected('q', 'c-2', 1, 'the answer is not an email address'),
            event.completed('invalid_answer'),
          ]);
      });

      it('allows as many retries as maxRetries says', () => {
        const { say } = conversation(command.start([question({ maxRetries: 4 })]));
        const attempts = ['1', '2', '3', '4'].map((n) => say(command.message(`c-${n}0`, 'no', 1)));
        expect(attempts.map((decided) => decided.find(({ type }) => type === 'QuestionAsked'))).toEqual(
          [2, 3, 4, 5].map((attempt) => event.asked('q', 'email', attempt)),
        );
        expect(say(command.message('c-50', 'no', 1)).at(-1)).toEqual(event.completed('invalid_answer'));
      });
    });

    describe('choice questions', () => {
      const plan = question({
        text: 'Which plan?',
        variable: 'plan',
        answerType: 'choice',
        options: [{ label: 'Basic' }, { label: 'Pro', value: 'pro', next: 'pro-team' }],
        next: 'basic-team',
      });
      const steps: StepDefinition[] = [
        plan,
        { id: 'basic-team', type: 'route_to_team', team: 'basic' },
        { id: 'pro-team', type: 'route_to_team', team: 'pro' },
      ];
      const choices = [
        { label: 'Basic', value: 'Basic' },
        { label: 'Pro', value: 'pro' },
      ];

      it('offers the choices with the question, and again with the retry', () => {
        const { opening, say } = conversation(command.start(steps));
        expect(opening).toContainEqual(event.sent(1, 'q', 'Which plan?', choices));
        expect(say(command.message('c-2', 'Enterprise', 1))).toContainEqual(
          event.sent(2, 'q', "Sorry, I didn't understand that. Which plan?", choices),
        );
      });

      it("follows the chosen option's next", () => {
        const { say } = conversation(command.start(steps));
        expect(say(command.message('c-2', 'PRO', 1))).toEqual([
          event.received('c-2', 'PRO'),
          event.accepted('q', 'plan', 'pro', 'c-2'),
          event.entered('pro-team'),
          event.routed('pro-team', 'pro'),
          event.completed('routed_to_team', 'pro'),
        ]);
      });

      it("follows the question's next for an option without one, chosen by its number", () => {
        const { say } = conversation(command.start(steps));
        expect(say(command.message('c-2', '1', 1))).toEqual([
          event.received('c-2', '1'),
          event.accepted('q', 'plan', 'Basic', 'c-2'),
          event.entered('basic-team'),
          event.routed('basic-team', 'basic'),
          event.completed('routed_to_team', 'basic'),
        ]);
      });
    });
  });

  describe('question timeouts', () => {
    const timed = (extra: Partial<Extract<StepDefinition, { type: 'ask_question' }>> = {}): StepDefinition[] => [
      question({ timeoutSeconds: 300, ...extra }),
      done,
      { id: 'nudge', type: 'send_message', text: 'We will write to you later.' },
    ];
    const asked = (steps: StepDefinition[]): SessionEvent[] => [
      event.started(steps),
      event.received('c-1', 'Hi'),
      event.entered('q'),
      event.sent(1, 'q', 'Your email, Ada?'),
      event.asked('q', 'email'),
      event.questionTimer(1, 'q', 300),
      event.inactivity(2, 0),
    ];

    it('arms a timer when the question has timeoutSeconds', () => {
      const steps = timed();
      given([]).when(command.start(steps)).then(asked(steps));
    });

    it('goes to timeoutNext when the timer fires', () => {
      const steps = timed({ timeoutNext: 'nudge' });
      given(asked(steps))
        .when(command.fire(1, 300))
        .then([
          event.fired(1),
          event.entered('nudge'),
          event.sent(2, 'nudge', 'We will write to you later.'),
          event.completed('flow_finished'),
        ]);
    });

    it('completes with question_timeout without timeoutNext', () => {
      given(asked(timed()))
        .when(command.fire(1, 300))
        .then([event.fired(1), event.completed('question_timeout')]);
    });

    it('ignores the timer once the question is answered', () => {
      const { say } = conversation(command.start(timed()));
      say(command.message('c-2', 'ada@example.com', 10));
      expect(say(command.fire(1, 300))).toEqual([]);
    });

    it('gives a question asked again a new timer, and ignores the old one', () => {
      const steps = timed();
      given(asked(steps))
        .when(command.message('c-2', 'no', 100))
        .then([
          event.received('c-2', 'no'),
          event.rejected('q', 'c-2', 1, 'the answer is not an email address'),
          event.sent(2, 'q', "Sorry, I didn't understand that. Your email, Ada?"),
          event.asked('q', 'email', 2),
          event.questionTimer(3, 'q', 400),
          event.inactivity(4, 100),
        ]);
      const { say } = conversation(command.start(steps));
      say(command.message('c-2', 'no', 100));
      expect(say(command.fire(1, 300))).toEqual([]);
      expect(say(command.fire(3, 400))).toEqual([event.fired(3), event.completed('question_timeout')]);
    });
  });

  describe('wait steps', () => {
    const steps: StepDefinition[] = [{ id: 'pause', type: 'wait', seconds: 3600 }, bye];
    const waiting: SessionEvent[] = [
      event.started(steps),
      event.received('c-1', 'Hi'),
      event.entered('pause'),
      event.waitTimer(1, 'pause', 3600),
      event.inactivity(2, 3600),
    ];

    it('pauses on a timer; the inactivity clock starts when the wait is over', () => {
      given([]).when(command.start(steps)).then(waiting);
    });

    it('goes on when the timer fires', () => {
      given(waiting)
        .when(command.fire(1, 3600))
        .then([event.fired(1), event.entered('bye'), event.sent(1, 'bye', 'Bye!'), event.completed('flow_finished')]);
    });

    it('only records what the customer says meanwhile', () => {
      given(waiting)
        .when(command.message('c-2', 'Hello?', 60))
        .then([event.received('c-2', 'Hello?'), event.inactivity(3, 3600)]);
    });

    it('does not expire a session for a wait longer than its timeout', () => {
      const long: StepDefinition[] = [{ id: 'pause', type: 'wait', seconds: 3 * DAY }, bye];
      const { opening, say } = conversation(command.start(long));
      expect(opening.at(-1)).toEqual(event.inactivity(2, 4 * DAY, 0));
      expect(say(command.fire(1, 3 * DAY))).toContainEqual(event.completed('flow_finished'));
    });

    it('ignores a timer it does not know', () => {
      given(waiting).when(command.fire(7, 3600)).then([]);
    });
  });

  describe('inactivity', () => {
    const steps = [question()];

    it('expires the session when the latest inactivity timer fires', () => {
      given(askedQuestion(steps))
        .when(command.fire(1, DAY))
        .then([event.fired(1), event.expired()]);
    });

    it('restarts the clock with every customer message; the replaced timer no longer counts', () => {
      const { say, state } = conversation(command.start(steps));
      expect(say(command.message('c-2', 'no', 3600)).at(-1)).toEqual(event.inactivity(2, 3600));
      expect(say(command.fire(1, DAY))).toEqual([]);
      expect(say(command.fire(2, DAY + 3600))).toEqual([event.fired(2), event.expired()]);
      expect(state()).toMatchObject({ status: 'ended', endReason: 'expired' });
    });
  });

  describe('AI agent steps', () => {
    const steps = [agent({ maxTurns: 2 }), bye];

    it('invokes the agent and waits for it', () => {
      given([]).when(command.start(steps)).then(invokedAgent(steps));
    });

    it('sends the reply as it is, then waits for the customer', () => {
      given(invokedAgent(steps))
        .when(command.agentReply(1, 'Your order {{order}} ships today.', 5))
        .then([
          event.replied(1, 'Your order {{order}} ships today.'),
          event.sent(1, 'agent', 'Your order {{order}} ships today.'),
          event.inactivity(2, 5),
        ]);
    });

    it('converses over several turns, then goes on once the turns are used up', () => {
      const { say, state } = conversation(command.start(steps));
      say(command.agentReply(1, 'How can I help?', 1));
      expect(say(command.message('c-2', 'Where is my parcel?', 10))).toEqual([
        event.received('c-2', 'Where is my parcel?'),
        event.invoked(2, 'agent', 2),
        event.inactivity(3, 10),
      ]);
      expect(say(command.agentReply(2, 'It arrives tomorrow.', 11))).toEqual([
        event.replied(2, 'It arrives tomorrow.'),
        event.sent(2, 'agent', 'It arrives tomorrow.'),
        event.inactivity(4, 11),
      ]);
      expect(say(command.message('c-3', 'Thanks', 20))).toEqual([
        event.received('c-3', 'Thanks'),
        event.entered('bye'),
        event.sent(3, 'bye', 'Bye!'),
        event.completed('flow_finished'),
      ]);
      expect(state()).toMatchObject({ status: 'ended', endReason: 'flow_finished' });
    });

    it('allows 5 turns by default', () => {
      const { say } = conversation(command.start([agent(), bye]));
      const turns = [1, 2, 3, 4, 5].flatMap((turn) => {
        say(command.agentReply(turn, `Reply ${turn}`, turn));
        return say(command.message(`c-${turn}0`, 'More', turn)).filter(({ type }) => type === 'AgentInvoked');
      });
      expect(turns).toEqual([2, 3, 4, 5].map((turn) => event.invoked(turn, 'agent', turn)));
    });

    it('hands over to the handoff team when the agent asks for it, with the reason it gave', () => {
      given(invokedAgent(steps))
        .when(command.agentReply(1, 'Let me get a colleague.', 5, { reason: 'asks for a refund' }))
        .then([
          event.replied(1, 'Let me get a colleague.'),
          event.sent(1, 'agent', 'Let me get a colleague.'),
          event.routed('agent', 'support', { reason: 'the AI agent handed the conversation over: asks for a refund' }),
          event.completed('routed_to_team', 'support'),
        ]);
    });

    it('hands over without a message when the agent says nothing, and without a reason of its own when it gave none', () => {
      given(invokedAgent(steps))
        .when(command.agentReply(1, '  ', 5, {}))
        .then([
          event.replied(1, '  '),
          event.routed('agent', 'support', { reason: 'the AI agent handed the conversation over' }),
          event.completed('routed_to_team', 'support'),
        ]);
    });

    it('hands over to the handoff team when the agent fails, recording why', () => {
      given(invokedAgent(steps))
        .when(command.agentFailure(1, 'AI agent unreachable', 5))
        .then([
          event.failed(1, 'AI agent unreachable'),
          event.routed('agent', 'support', { reason: 'AI agent unreachable' }),
          event.completed('routed_to_team', 'support'),
        ]);
    });

    it("tells the customer the step's handoffText as the team takes over, however the agent hands over", () => {
      const withText = [agent({ handoffText: 'A colleague from {{team|our team}} will answer here.' }), bye];
      given(invokedAgent(withText))
        .when(command.agentFailure(1, 'AI agent unreachable', 5))
        .then([
          event.failed(1, 'AI agent unreachable'),
          event.sent(1, 'agent', 'A colleague from our team will answer here.'),
          event.routed('agent', 'support', { reason: 'AI agent unreachable' }),
          event.completed('routed_to_team', 'support'),
        ]);
      given(invokedAgent(withText))
        .when(command.agentReply(1, 'Let me get a colleague.', 5, {}))
        .then([
          event.replied(1, 'Let me get a colleague.'),
          event.sent(1, 'agent', 'Let me get a colleague.'),
          event.sent(2, 'agent', 'A colleague from our team will answer here.'),
          event.routed('agent', 'support', { reason: 'the AI agent handed the conversation over' }),
          event.completed('routed_to_team', 'support'),
        ]);
    });

    it('only records what the customer says while the agent is thinking', () => {
      given(invokedAgent(steps))
        .when(command.message('c-2', 'Hello?', 3))
        .then([event.received('c-2', 'Hello?'), event.inactivity(2, 3)]);
    });

    it('ignores outcomes of requests it does not wait for', () => {
      given(invokedAgent(steps))
        .when(command.agentReply(2, 'Early?', 5))
        .then([]);
      given(invokedAgent(steps))
        .when(command.agentFailure(2, 'timeout', 5))
        .then([]);
      const { say } = conversation(command.start(steps));
      say(command.agentReply(1, 'Hi!', 1));
      expect(say(command.agentFailure(1, 'late failure', 2))).toEqual([]);
    });
  });

  describe('ending from outside', () => {
    const active = askedQuestion([question()]);

    it('deactivates an active session, once', () => {
      given(active).when(command.deactivate()).then([event.deactivated()]);
      given([...active, event.deactivated()])
        .when(command.terminate())
        .then([]);
    });

    it('terminates an active session, once', () => {
      given(active).when(command.terminate()).then([event.terminated()]);
      given([...active, event.terminated()])
        .when(command.deactivate())
        .then([]);
    });

    it.each([
      ['deactivate', command.deactivate()],
      ['terminate', command.terminate()],
      ['a message', command.message('c-2', 'a@b.co', 1)],
      ['a timer', command.fire(1, DAY)],
    ])('ignores %s after the session ended', (_what, sessionCommand) => {
      given([...active, event.completed('flow_finished')])
        .when(sessionCommand)
        .then([]);
    });

    it('ignores everything but a start before the session exists', () => {
      given([])
        .when(command.message('c-1', 'Hi', 0))
        .then([]);
      given([]).when(command.deactivate()).then([]);
    });
  });

  describe('redelivery', () => {
    it('ignores a message it has already taken, the first one included', () => {
      const stream = askedQuestion([question()]);
      given(stream)
        .when(command.message('c-1', 'Hi', 0))
        .then([]);
      given([...stream, event.received('c-2', 'a@b.co')])
        .when(command.message('c-2', 'a@b.co', 5))
        .then([]);
    });

    it('decides the same ids for the same command on the same state', () => {
      const state = foldSession(askedQuestion([question(), done]));
      const once = sessionDecider.decide(command.message('c-2', 'not an email', 5), state);
      const again = sessionDecider.decide(command.message('c-2', 'not an email', 5), state);
      expect(again).toEqual(once);
      expect(once).toContainEqual(event.sent(2, 'q', "Sorry, I didn't understand that. Your email, Ada?"));
    });
  });

  describe('version pinning', () => {
    it('runs the steps it started with: a start with a newer version changes nothing', () => {
      const version1 = [question(), done];
      const version2: StepDefinition[] = [
        question({ text: 'New question?' }),
        { id: 'done', type: 'send_message', text: 'New reply: {{email}}' },
      ];
      const { say, stored } = conversation(command.start(version1));
      const startVersion2 = command.start(version2);
      expect(say({ ...startVersion2, data: { ...startVersion2.data, workflowVersion: 4 } })).toEqual([]);
      expect(textsSent(say(command.message('c-2', 'ada@example.com', 5)))).toEqual(['Done: ada@example.com']);
      expect(stored[0]).toEqual(event.started(version1));
    });
  });
});
