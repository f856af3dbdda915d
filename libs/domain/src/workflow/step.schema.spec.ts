import { describe, expect, it } from '@jest/globals';
import { InvalidDefinitionError, type DefinitionProblem } from '../errors.js';
import { STEP_SCHEMAS, STEP_TYPES, stepSchema, validateDefinition, type StepDefinition, type StepType } from './step.schema.js';

type Json = { [field: string]: unknown };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The problems validateDefinition reports; fails the test when it accepts the definition. */
const problemsOf = (steps: unknown, settings?: unknown): DefinitionProblem[] => {
  try {
    validateDefinition(steps, settings);
  } catch (error) {
    if (error instanceof InvalidDefinitionError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the definition to be rejected');
};

const end = { id: 'done', type: 'end' };
const anyBranch = { condition: { variable: 'name', op: 'exists' }, next: 'done' };

/** The smallest valid step of each type, with id `s`; its targets point at `done`. */
const minimalStep: { [type: string]: Json } = {
  send_message: { id: 's', type: 'send_message', text: 'Hello' },
  ask_question: { id: 's', type: 'ask_question', text: 'Your name?', variable: 'name' },
  branch: { id: 's', type: 'branch', branches: [anyBranch], elseNext: 'done' },
  route_to_team: { id: 's', type: 'route_to_team', team: 'support' },
  invoke_ai_agent: { id: 's', type: 'invoke_ai_agent', instructions: 'Help politely', handoffTeam: 'support' },
  wait: { id: 's', type: 'wait', seconds: 60 },
  end: { id: 's', type: 'end' },
};

/** A step of the given type with some fields replaced (or removed, with `undefined`), before an end step. */
const flowWith = (type: string, fields: Json): unknown[] => {
  const step: Json = { ...minimalStep[type], ...fields };
  for (const name of Object.keys(fields)) if (fields[name] === undefined) delete step[name];
  return [step, end];
};

const choiceQuestion = (fields: Json = {}): Json => ({
  answerType: 'choice',
  options: [{ label: 'Sales' }, { label: 'Support' }],
  ...fields,
});

const branchOn = (condition: Json): Json => ({ branches: [{ condition, next: 'done' }] });

describe('validateDefinition', () => {
  describe('accepts', () => {
    const everyStepType = [
      { id: 'greet', type: 'send_message', text: 'Hi {{contact.name}}' },
      {
        id: 'ask_topic',
        type: 'ask_question',
        text: 'What is it about?',
        variable: 'topic',
        answerType: 'choice',
        options: [{ label: 'Sales', value: 'sales', next: 'sales' }, { label: 'Support' }],
        retryText: 'Please pick one of the options',
        maxRetries: 3,
        invalidNext: 'support',
        timeoutSeconds: 600,
        timeoutNext: 'bye',
        next: 'route',
      },
      {
        id: 'route',
        type: 'branch',
        branches: [
          { condition: { variable: 'topic', op: 'equals', value: 'support' }, next: 'agent' },
          { condition: { variable: 'age', op: 'gt', value: 17 }, next: 'pause' },
          { condition: { variable: 'topic', op: 'exists' }, next: 'support' },
        ],
        elseNext: 'bye',
      },
      { id: 'agent', type: 'invoke_ai_agent', instructions: 'Answer questions', handoffTeam: 'support', maxTurns: 5 },
      { id: 'pause', type: 'wait', seconds: 60, next: 'ask_topic' },
      { id: 'sales', type: 'route_to_team', team: 'sales', note: 'Came through the choice' },
      { id: 'support', type: 'route_to_team', team: 'support' },
      { id: 'bye', type: 'end' },
    ];

    it('a flow using every step type and field, returning it with default settings', () => {
      expect(validateDefinition(everyStepType, undefined)).toEqual({ steps: everyStepType, settings: {} });
    });

    it('settings with a session timeout', () => {
      const steps = [{ id: 'bye', type: 'end' }];
      expect(validateDefinition(steps, { sessionTimeoutSeconds: 3600 })).toEqual({ steps, settings: { sessionTimeoutSeconds: 3600 } });
    });

    it('returns copies, so that changing the input afterwards changes nothing', () => {
      const steps = [{ id: 'greet', type: 'send_message', text: 'Hello' }];
      const settings = { sessionTimeoutSeconds: 60 };
      const definition = validateDefinition(steps, settings);
      steps[0].text = 'Changed';
      settings.sessionTimeoutSeconds = 1;
      expect(definition).toEqual({
        steps: [{ id: 'greet', type: 'send_message', text: 'Hello' }],
        settings: { sessionTimeoutSeconds: 60 },
      });
    });

    it('a single step', () => {
      expect(validateDefinition([{ id: 'bye', type: 'end' }], {})).toEqual({ steps: [{ id: 'bye', type: 'end' }], settings: {} });
    });

    it('500 steps', () => {
      const steps = Array.from({ length: 500 }, (_, index) => ({ id: `s${index}`, type: 'send_message', text: 'Hi' }));
      expect(validateDefinition(steps).steps).toHaveLength(500);
    });

    it.each([
      ['a 64-character id', 'end', { id: `a${'-_9Z'.repeat(15)}xyz` }],
      ['a 4096-character text', 'send_message', { text: 't'.repeat(4096) }],
      ['placeholders, with fallbacks and spaces', 'send_message', { text: 'Hi {{name}}, {{ contact.name | there }}{{x}}' }],
      ['braces that open no placeholder', 'send_message', { text: 'a { b } c }} d {x}' }],
      ['a 64-character variable', 'ask_question', { variable: `_${'v'.repeat(63)}` }],
      ['0 retries', 'ask_question', { maxRetries: 0 }],
      ['10 retries', 'ask_question', { maxRetries: 10 }],
      ['a 1-second timeout', 'ask_question', { timeoutSeconds: 1 }],
      ['a 30-day wait', 'wait', { seconds: 2_592_000 }],
      ['10 options', 'ask_question', choiceQuestion({ options: Array.from({ length: 10 }, (_, n) => ({ label: `o${n}` })) })],
      ['two options labelled alike but for a mark', 'ask_question', choiceQuestion({ options: [{ label: 'Sales' }, { label: 'Sales!' }] })],
      ['a 100-character label', 'ask_question', choiceQuestion({ options: [{ label: 'l'.repeat(100) }] })],
      ['20 branches', 'branch', { branches: Array.from({ length: 20 }, () => anyBranch) }],
      ['a number compared with equals', 'branch', branchOn({ variable: 'age', op: 'equals', value: 3 })],
      ['an empty string compared with not_equals', 'branch', branchOn({ variable: 'x', op: 'not_equals', value: '' })],
      ['a 100-character team', 'route_to_team', { team: 't'.repeat(100) }],
      ['8000 characters of instructions', 'invoke_ai_agent', { instructions: 'i'.repeat(8000) }],
      ['1 agent turn', 'invoke_ai_agent', { maxTurns: 1 }],
      ['50 agent turns', 'invoke_ai_agent', { maxTurns: 50 }],
    ])('%s', (_, type, fields) => {
      expect(() => validateDefinition(flowWith(type, fields))).not.toThrow();
    });
  });

  describe('rejects the shape of the list', () => {
    it.each([
      ['missing', undefined],
      ['null', null],
      ['an object', { 0: { id: 'a', type: 'end' } }],
      ['a string', 'steps'],
    ])('steps that are %s', (_, steps) => {
      expect(problemsOf(steps)).toEqual([{ path: 'steps', message: 'must be an array of steps' }]);
    });

    it('no steps at all: a new workflow has none, but publishing none is a mistake', () => {
      expect(problemsOf([])).toEqual([{ path: 'steps', message: 'must hold at least one step' }]);
      expect(() => validateDefinition([], { sessionTimeoutSeconds: 60 })).toThrow(
        'Invalid workflow definition: steps must hold at least one step',
      );
    });

    it('more than 500 steps', () => {
      const steps = Array.from({ length: 501 }, (_, index) => ({ id: `s${index}`, type: 'end' }));
      expect(problemsOf(steps)).toEqual([{ path: 'steps', message: 'must hold at most 500 steps, not 501' }]);
    });

    it.each([null, 'send_message', 7, [{ id: 'a', type: 'end' }]])('a step that is not an object: %j', (step) => {
      expect(problemsOf([end, step])).toEqual([{ path: 'steps[1]', message: 'must be an object' }]);
    });
  });

  describe('rejects ids', () => {
    it.each([
      ['missing', undefined, 'is required'],
      ['not a string', 12, 'must be 1 to 64 letters, digits, _ or -'],
    ])('that are %s', (_, id, message) => {
      expect(problemsOf(flowWith('end', { id }))).toEqual([{ path: 'steps[0].id', message }]);
    });

    it.each(['', 'with space', 'dot.ted', 'é'])('that are not 1 to 64 letters, digits, _ or -: %j', (id) => {
      expect(problemsOf(flowWith('end', { id }))).toEqual([
        { path: 'steps[0].id', stepId: id, message: 'must be 1 to 64 letters, digits, _ or -' },
      ]);
    });

    it('used by more than one step, naming each repetition and the first use', () => {
      const steps = [end, { id: 'hi', type: 'send_message', text: 'A' }, { id: 'done', type: 'end' }, { id: 'hi', type: 'end' }];
      expect(problemsOf(steps)).toEqual([
        { path: 'steps[2].id', stepId: 'done', message: 'duplicates the id of steps[0]' },
        { path: 'steps[3].id', stepId: 'hi', message: 'duplicates the id of steps[1]' },
      ]);
    });
  });

  describe('rejects types', () => {
    it('that are unknown, checking only the common fields of the step', () => {
      expect(problemsOf([{ id: 'x', type: 'send_email', to: 'a@b.c' }, { type: 'send_sms' }])).toEqual([
        {
          path: 'steps[0].type',
          stepId: 'x',
          message: 'must be one of send_message, ask_question, branch, route_to_team, invoke_ai_agent, wait, end',
        },
        { path: 'steps[1].id', message: 'is required' },
        {
          path: 'steps[1].type',
          message: 'must be one of send_message, ask_question, branch, route_to_team, invoke_ai_agent, wait, end',
        },
      ]);
    });

    it('that are missing', () => {
      expect(problemsOf([{ id: 'x', text: 'Hi' }])).toEqual([{ path: 'steps[0].type', stepId: 'x', message: 'is required' }]);
    });
  });

  describe('rejects a missing required field', () => {
    it.each([
      ['send_message', 'text'],
      ['ask_question', 'text'],
      ['ask_question', 'variable'],
      ['branch', 'branches'],
      ['branch', 'elseNext'],
      ['route_to_team', 'team'],
      ['invoke_ai_agent', 'instructions'],
      ['invoke_ai_agent', 'handoffTeam'],
      ['wait', 'seconds'],
    ])('%s without %s', (type, field) => {
      expect(problemsOf(flowWith(type, { [field]: undefined }))).toEqual([
        { path: `steps[0].${field}`, stepId: 's', message: 'is required' },
      ]);
    });

    it.each([
      ['a choice option without a label', 'ask_question', choiceQuestion({ options: [{ value: 'v' }] }), 'options[0].label'],
      ['a branch without a condition', 'branch', { branches: [{ next: 'done' }] }, 'branches[0].condition'],
      ['a branch without next', 'branch', { branches: [{ condition: { variable: 'a', op: 'exists' } }] }, 'branches[0].next'],
      ['a condition without a variable', 'branch', branchOn({ op: 'exists' }), 'branches[0].condition.variable'],
      ['a condition without an op', 'branch', branchOn({ variable: 'a' }), 'branches[0].condition.op'],
    ])('%s', (_, type, fields, path) => {
      expect(problemsOf(flowWith(type, fields))).toEqual([{ path: `steps[0].${path}`, stepId: 's', message: 'is required' }]);
    });
  });

  describe('rejects a mistyped or out-of-range field', () => {
    const longText = 'must be a string of 1 to 4096 characters, not only whitespace';
    const shortText = 'must be a string of 1 to 100 characters, not only whitespace';
    const variable = 'must be 1 to 64 letters, digits or _, not starting with a digit';
    const seconds = 'must be an integer from 1 to 2592000';
    const stepId = 'must be the id of a step';
    const unclosed = 'has a {{ that no }} closes';

    it.each([
      ['send_message', 'text', 42, longText],
      ['send_message', 'text', '', longText],
      ['send_message', 'text', ' \n ', longText],
      ['send_message', 'text', 't'.repeat(4097), longText],
      ['send_message', 'text', 'Hi {{name', unclosed],
      ['send_message', 'text', 'Hi {{name}}, and {{ contact.name', unclosed],
      ['send_message', 'text', 'Hi {{ {{name}}', unclosed],
      ['send_message', 'next', 7, stepId],
      ['send_message', 'next', null, stepId],
      ['ask_question', 'text', ['Why?'], longText],
      ['ask_question', 'variable', '1st', variable],
      ['ask_question', 'variable', 'contact.name', variable],
      ['ask_question', 'variable', `v${'v'.repeat(64)}`, variable],
      ['ask_question', 'answerType', 'date', 'must be one of text, number, email, phone, choice'],
      ['ask_question', 'text', 'Your {{field?', unclosed],
      ['ask_question', 'retryText', '', longText],
      ['ask_question', 'retryText', 'Again, {{contact.name | friend', unclosed],
      ['ask_question', 'maxRetries', -1, 'must be an integer from 0 to 10'],
      ['ask_question', 'maxRetries', 11, 'must be an integer from 0 to 10'],
      ['ask_question', 'maxRetries', 1.5, 'must be an integer from 0 to 10'],
      ['ask_question', 'maxRetries', '2', 'must be an integer from 0 to 10'],
      ['ask_question', 'invalidNext', false, stepId],
      ['ask_question', 'timeoutSeconds', 0, seconds],
      ['ask_question', 'timeoutSeconds', 2_592_001, seconds],
      ['branch', 'branches', [], 'must be a list of 1 to 20 items'],
      ['branch', 'branches', Array.from({ length: 21 }, () => anyBranch), 'must be a list of 1 to 20 items'],
      ['branch', 'branches', { 0: anyBranch }, 'must be a list of 1 to 20 items'],
      ['branch', 'elseNext', ['done'], stepId],
      ['route_to_team', 'team', 't'.repeat(101), shortText],
      ['route_to_team', 'team', '  ', shortText],
      ['route_to_team', 'note', '', longText],
      ['invoke_ai_agent', 'instructions', 'i'.repeat(8001), 'must be a string of 1 to 8000 characters, not only whitespace'],
      ['invoke_ai_agent', 'handoffTeam', 5, shortText],
      ['invoke_ai_agent', 'maxTurns', 0, 'must be an integer from 1 to 50'],
      ['invoke_ai_agent', 'maxTurns', 51, 'must be an integer from 1 to 50'],
      ['invoke_ai_agent', 'next', 1, stepId],
      ['wait', 'seconds', 0, seconds],
      ['wait', 'seconds', 2_592_001, seconds],
      ['wait', 'seconds', 0.5, seconds],
      ['wait', 'seconds', '60', seconds],
      ['wait', 'next', {}, stepId],
    ])('%s %s = %j', (type, field, value, message) => {
      expect(problemsOf(flowWith(type, { [field]: value }))).toEqual([{ path: `steps[0].${field}`, stepId: 's', message }]);
    });

    it.each([
      ['options that are not a list', { options: 'Sales' }, 'options', 'must be a list of 1 to 10 items'],
      ['no options', { options: [] }, 'options', 'must be a list of 1 to 10 items'],
      ['11 options', { options: Array.from({ length: 11 }, () => ({ label: 'o' })) }, 'options', 'must be a list of 1 to 10 items'],
      ['an option that is not an object', { options: ['Sales'] }, 'options[0]', 'must be an object'],
      ['an empty label', { options: [{ label: '' }] }, 'options[0].label', shortText],
      ['a 101-character label', { options: [{ label: 'l'.repeat(101) }] }, 'options[0].label', shortText],
      ['a numeric option value', { options: [{ label: 'One', value: 1 }] }, 'options[0].value', shortText],
      ['a numeric option target', { options: [{ label: 'One', next: 1 }] }, 'options[0].next', stepId],
    ])('a choice question with %s', (_, fields, path, message) => {
      expect(problemsOf(flowWith('ask_question', choiceQuestion(fields)))).toEqual([{ path: `steps[0].${path}`, stepId: 's', message }]);
    });

    it.each([
      ['a branch that is not an object', { branches: ['yes'] }, 'branches[0]', 'must be an object'],
      [
        'a condition that is not an object',
        { branches: [{ condition: 'x > 1', next: 'done' }] },
        'branches[0].condition',
        'must be an object',
      ],
      ['a bad condition variable', branchOn({ variable: 'a-b', op: 'exists' }), 'branches[0].condition.variable', variable],
      [
        'an unknown op',
        branchOn({ variable: 'a', op: 'matches', value: 'x' }),
        'branches[0].condition.op',
        'must be one of equals, not_equals, contains, exists, gt, lt',
      ],
      ['equals without a value', branchOn({ variable: 'a', op: 'equals' }), 'branches[0].condition.value', 'is required with op equals'],
      [
        'not_equals without a value',
        branchOn({ variable: 'a', op: 'not_equals' }),
        'branches[0].condition.value',
        'is required with op not_equals',
      ],
      [
        'contains without a value',
        branchOn({ variable: 'a', op: 'contains' }),
        'branches[0].condition.value',
        'is required with op contains',
      ],
      ['gt without a value', branchOn({ variable: 'a', op: 'gt' }), 'branches[0].condition.value', 'is required with op gt'],
      ['gt with a string', branchOn({ variable: 'a', op: 'gt', value: '3' }), 'branches[0].condition.value', 'must be a number with op gt'],
      ['lt with a string', branchOn({ variable: 'a', op: 'lt', value: 'x' }), 'branches[0].condition.value', 'must be a number with op lt'],
      [
        'exists with a value',
        branchOn({ variable: 'a', op: 'exists', value: 'x' }),
        'branches[0].condition.value',
        'is not a field of conditions with op exists',
      ],
      [
        'a value that is neither string nor number',
        branchOn({ variable: 'a', op: 'equals', value: true }),
        'branches[0].condition.value',
        'must be a number or a string of at most 4096 characters',
      ],
      [
        'a value longer than 4096 characters',
        branchOn({ variable: 'a', op: 'contains', value: 'v'.repeat(4097) }),
        'branches[0].condition.value',
        'must be a number or a string of at most 4096 characters',
      ],
      [
        'a branch target that is not a string',
        { branches: [{ condition: { variable: 'a', op: 'exists' }, next: 0 }] },
        'branches[0].next',
        stepId,
      ],
    ])('a branch step with %s', (_, fields, path, message) => {
      expect(problemsOf(flowWith('branch', fields))).toEqual([{ path: `steps[0].${path}`, stepId: 's', message }]);
    });
  });

  describe('rejects fields that do not combine', () => {
    it('a choice question without options', () => {
      expect(problemsOf(flowWith('ask_question', { answerType: 'choice' }))).toEqual([
        { path: 'steps[0].options', stepId: 's', message: 'is required when answerType is choice' },
      ]);
    });

    it.each([undefined, 'text', 'number', 'email', 'phone'])('options with answerType %s', (answerType) => {
      expect(problemsOf(flowWith('ask_question', choiceQuestion({ answerType })))).toEqual([
        { path: 'steps[0].options', stepId: 's', message: 'is only allowed when answerType is choice' },
      ]);
    });

    it('two options labelled alike, in any case or spacing, which leaves the later one never chosen', () => {
      const options = [
        { label: 'Sales' },
        { label: 'Support' },
        { label: ' sales' },
        { label: 'SUPPORT', value: 'other' },
        { label: 'Billing' },
      ];
      expect(problemsOf(flowWith('ask_question', choiceQuestion({ options })))).toEqual([
        {
          path: 'steps[0].options[2].label',
          stepId: 's',
          message: 'repeats the label of option 1: the customer could not choose this one',
        },
        {
          path: 'steps[0].options[3].label',
          stepId: 's',
          message: 'repeats the label of option 2: the customer could not choose this one',
        },
      ]);
    });

    it('two options labelled alike together with the step’s other problems, all at once', () => {
      const options = [{ label: 'Yes' }, { label: ' yes ' }];
      expect(problemsOf(flowWith('ask_question', choiceQuestion({ options, maxRetries: -1, timeoutSeconds: 1.5 })))).toEqual([
        {
          path: 'steps[0].options[1].label',
          stepId: 's',
          message: 'repeats the label of option 1: the customer could not choose this one',
        },
        { path: 'steps[0].maxRetries', stepId: 's', message: 'must be an integer from 0 to 10' },
        { path: 'steps[0].timeoutSeconds', stepId: 's', message: 'must be an integer from 1 to 2592000' },
      ]);
    });

    it('two options with the same value, which a button or quick reply could not tell apart', () => {
      const options = [{ label: 'Yes', value: 'same' }, { label: 'Sure', value: 'SAME' }, { label: 'No' }, { label: 'Nope', value: 'no' }];
      expect(problemsOf(flowWith('ask_question', choiceQuestion({ options })))).toEqual([
        {
          path: 'steps[0].options[1].value',
          stepId: 's',
          message: 'repeats the value of option 1: the customer could not choose this one',
        },
        {
          path: 'steps[0].options[3].value',
          stepId: 's',
          message: 'repeats the label of option 3: the customer could not choose this one',
        },
      ]);
    });

    it("an option's label or value that names another option, which answers and buttons would choose instead", () => {
      const options = [
        { label: 'Yes', value: 'confirm' },
        { label: 'Confirm' },
        { label: 'No', value: 'YES' },
        { label: 'Maybe', value: ' maybe ' },
      ];
      expect(problemsOf(flowWith('ask_question', choiceQuestion({ options })))).toEqual([
        {
          path: 'steps[0].options[1].label',
          stepId: 's',
          message: 'repeats the value of option 1: the customer could not choose this one',
        },
        {
          path: 'steps[0].options[2].value',
          stepId: 's',
          message: 'repeats the label of option 1: the customer could not choose this one',
        },
      ]);
    });

    it('timeoutNext without timeoutSeconds', () => {
      expect(problemsOf(flowWith('ask_question', { timeoutNext: 'done' }))).toEqual([
        { path: 'steps[0].timeoutNext', stepId: 's', message: 'is only allowed together with timeoutSeconds' },
      ]);
    });
  });

  describe('rejects unknown fields', () => {
    it.each([
      ['a misspelt next', 'send_message', { nxt: 'done' }, 'nxt', 'send_message steps'],
      ['options on a message', 'send_message', { options: [] }, 'options', 'send_message steps'],
      ['next on an end step', 'end', { next: 'done' }, 'next', 'end steps'],
      ['next on a route_to_team step, which is terminal', 'route_to_team', { next: 'done' }, 'next', 'route_to_team steps'],
      ['next on a branch step, which uses elseNext', 'branch', { next: 'done' }, 'next', 'branch steps'],
      ['text on a wait step', 'wait', { text: 'Hold on' }, 'text', 'wait steps'],
      ['team on an AI agent step', 'invoke_ai_agent', { team: 'sales' }, 'team', 'invoke_ai_agent steps'],
      [
        'an unknown field of a choice option',
        'ask_question',
        choiceQuestion({ options: [{ label: 'A', colour: 'red' }] }),
        'options[0].colour',
        'choice options',
      ],
      ['an unknown field of a branch', 'branch', { branches: [{ ...anyBranch, priority: 1 }] }, 'branches[0].priority', 'branches'],
      [
        'an unknown field of a condition',
        'branch',
        branchOn({ variable: 'a', op: 'gt', value: 1, negate: true }),
        'branches[0].condition.negate',
        'conditions with op gt',
      ],
    ])('%s', (_, type, fields, path, owner) => {
      expect(problemsOf(flowWith(type, fields))).toEqual([
        { path: `steps[0].${path}`, stepId: 's', message: `is not a field of ${owner}` },
      ]);
    });
  });

  describe('rejects targets that name no step', () => {
    it.each([
      ['next', 'send_message', { next: 'nowhere' }, 'next'],
      ['options[].next', 'ask_question', choiceQuestion({ options: [{ label: 'A' }, { label: 'B', next: 'nowhere' }] }), 'options[1].next'],
      ['invalidNext', 'ask_question', { invalidNext: 'nowhere' }, 'invalidNext'],
      ['timeoutNext', 'ask_question', { timeoutSeconds: 30, timeoutNext: 'nowhere' }, 'timeoutNext'],
      ['branches[].next', 'branch', { branches: [{ condition: { variable: 'a', op: 'exists' }, next: 'nowhere' }] }, 'branches[0].next'],
      ['elseNext', 'branch', { elseNext: 'nowhere' }, 'elseNext'],
      ['next of an AI agent step', 'invoke_ai_agent', { next: 'nowhere' }, 'next'],
      ['next of a wait step', 'wait', { next: 'nowhere' }, 'next'],
    ])('%s', (_, type, fields, path) => {
      expect(problemsOf(flowWith(type, fields))).toEqual([
        { path: `steps[0].${path}`, stepId: 's', message: 'points at unknown step "nowhere"' },
      ]);
    });

    it('is case-sensitive', () => {
      expect(problemsOf(flowWith('send_message', { next: 'Done' }))).toEqual([
        { path: 'steps[0].next', stepId: 's', message: 'points at unknown step "Done"' },
      ]);
    });

    it('asks for a step where a target is left empty', () => {
      expect(problemsOf(flowWith('branch', { elseNext: '' }))).toEqual([
        { path: 'steps[0].elseNext', stepId: 's', message: 'must be the id of a step' },
      ]);
    });
  });

  describe('rejects loops that never wait', () => {
    const loopMessage = (ids: string) => `is in a loop of steps ${ids} with no ask_question or wait step, so a session would never stop`;

    it('a message that leads to itself', () => {
      expect(problemsOf([{ id: 'again', type: 'send_message', text: 'Hi', next: 'again' }])).toEqual([
        { path: 'steps[0]', stepId: 'again', message: loopMessage('"again"') },
      ]);
    });

    it('a loop closed by the default next, the following step', () => {
      const steps = [
        { id: 'a', type: 'send_message', text: 'A' },
        { id: 'b', type: 'send_message', text: 'B', next: 'a' },
      ];
      expect(problemsOf(steps)).toEqual([{ path: 'steps[0]', stepId: 'a', message: loopMessage('"a", "b"') }]);
    });

    it('a loop through a branch and an AI agent, leaving out the steps that only lead into it', () => {
      const steps = [
        { id: 'intro', type: 'send_message', text: 'Hi' },
        { id: 'check', type: 'branch', branches: [{ condition: { variable: 'x', op: 'exists' }, next: 'bye' }], elseNext: 'agent' },
        { id: 'agent', type: 'invoke_ai_agent', instructions: 'Help', handoffTeam: 'support', next: 'check' },
        { id: 'bye', type: 'end' },
      ];
      expect(problemsOf(steps)).toEqual([{ path: 'steps[1]', stepId: 'check', message: loopMessage('"check", "agent"') }]);
    });

    it('every separate loop', () => {
      const steps = [
        { id: 'a', type: 'send_message', text: 'A', next: 'a' },
        { id: 'b', type: 'send_message', text: 'B' },
        { id: 'c', type: 'send_message', text: 'C', next: 'b' },
      ];
      expect(problemsOf(steps)).toEqual([
        { path: 'steps[0]', stepId: 'a', message: loopMessage('"a"') },
        { path: 'steps[1]', stepId: 'b', message: loopMessage('"b", "c"') },
      ]);
    });

    it('naming a step by index when its id is unusable', () => {
      const steps = [
        { id: 'a', type: 'send_message', text: 'A' },
        { id: 5, type: 'send_message', text: 'B', next: 'a' },
      ];
      expect(problemsOf(steps)).toEqual([
        { path: 'steps[1].id', message: 'must be 1 to 64 letters, digits, _ or -' },
        { path: 'steps[0]', stepId: 'a', message: loopMessage('"a", steps[1]') },
      ]);
    });
  });

  describe('accepts loops that wait', () => {
    it.each([
      ['an ask_question step', { id: 'q', type: 'ask_question', text: 'Again?', variable: 'again' }],
      ['a wait step', { id: 'pause', type: 'wait', seconds: 5 }],
    ])('through %s', (_, pausingStep) => {
      const steps = [
        { id: 'a', type: 'send_message', text: 'A' },
        pausingStep,
        { id: 'b', type: 'branch', branches: [{ condition: { variable: 'x', op: 'exists' }, next: 'done' }], elseNext: 'a' },
        end,
      ];
      expect(() => validateDefinition(steps)).not.toThrow();
    });

    it('and a question that asks itself again', () => {
      const steps = [{ id: 'q', type: 'ask_question', text: 'Ready?', variable: 'ready', next: 'q' }];
      expect(() => validateDefinition(steps)).not.toThrow();
    });

    it('and flows whose last step completes the session by default', () => {
      const steps = [
        { id: 'a', type: 'send_message', text: 'A' },
        { id: 'b', type: 'send_message', text: 'B' },
      ];
      expect(() => validateDefinition(steps)).not.toThrow();
    });
  });

  describe('rejects settings', () => {
    it.each([null, 'fast', [], 60])('that are not an object: %j', (settings) => {
      expect(problemsOf([end], settings)).toEqual([{ path: 'settings', message: 'must be an object' }]);
    });

    it.each([0, 2_592_001, 1.5, '60'])('with sessionTimeoutSeconds %j', (sessionTimeoutSeconds) => {
      expect(problemsOf([end], { sessionTimeoutSeconds })).toEqual([
        { path: 'settings.sessionTimeoutSeconds', message: 'must be an integer from 1 to 2592000' },
      ]);
    });

    it('with unknown keys', () => {
      expect(problemsOf([end], { sessionTimeout: 60 })).toEqual([
        { path: 'settings.sessionTimeout', message: 'is not a field of settings' },
      ]);
    });
  });

  it('reports every problem at once, in a message that names the steps', () => {
    const steps = [
      { id: 'greet', type: 'send_message', next: 'nowhere' },
      { id: 'bye', type: 'end', text: 'Bye' },
    ];
    const attempt = () => validateDefinition(steps, { colour: 'blue' });
    expect(attempt).toThrow(InvalidDefinitionError);
    expect(attempt).toThrow(
      'Invalid workflow definition: steps[0].text (step "greet") is required; ' +
        'steps[1].text (step "bye") is not a field of end steps; ' +
        'steps[0].next (step "greet") points at unknown step "nowhere"; ' +
        'settings.colour is not a field of settings',
    );
  });

  it.each([
    ['no-break spaces', '\u00a0\u00a0'],
    ['an ideographic space', '\u3000'],
    ['a line separator', '\u2028'],
    ['a tab and a byte order mark', '\t\ufeff'],
  ])('refuses a text of only %s, as trim() sees whitespace', (_, text) => {
    expect(problemsOf(flowWith('send_message', { text }))).toEqual([
      { path: 'steps[0].text', stepId: 's', message: 'must be a string of 1 to 4096 characters, not only whitespace' },
    ]);
  });

  it('reports a value that breaks several rules of its field once', () => {
    expect(problemsOf(flowWith('route_to_team', { team: ' '.repeat(101) }))).toEqual([
      { path: 'steps[0].team', stepId: 's', message: 'must be a string of 1 to 100 characters, not only whitespace' },
    ]);
  });

  it('reports each unknown field of a step on its own', () => {
    expect(problemsOf(flowWith('wait', { text: 'Hold on', colour: 'red' }))).toEqual([
      { path: 'steps[0].text', stepId: 's', message: 'is not a field of wait steps' },
      { path: 'steps[0].colour', stepId: 's', message: 'is not a field of wait steps' },
    ]);
  });

  it('checks the fields of a question and how they combine at once', () => {
    expect(problemsOf(flowWith('ask_question', { variable: '1st', answerType: 'choice', timeoutNext: 'done' }))).toEqual([
      { path: 'steps[0].variable', stepId: 's', message: 'must be 1 to 64 letters, digits or _, not starting with a digit' },
      { path: 'steps[0].options', stepId: 's', message: 'is required when answerType is choice' },
      { path: 'steps[0].timeoutNext', stepId: 's', message: 'is only allowed together with timeoutSeconds' },
    ]);
  });

  it('repeats only the start of a long target or unknown field, and no stepId for an id longer than 64 (the path tells the step)', () => {
    const id = 'i'.repeat(65);
    const [target, field] = ['t', 'f'].map((letter) => letter.repeat(10_000));
    const cut = (text: string) => `${text.slice(0, 63)}…`;
    expect(
      problemsOf([
        { id, type: 'send_message', text: 'Hi', next: target, [field]: 1 },
        { id, type: 'end' },
      ]),
    ).toEqual([
      { path: 'steps[0].id', message: 'must be 1 to 64 letters, digits, _ or -' },
      { path: `steps[0].${cut(field)}`, message: 'is not a field of send_message steps' },
      { path: 'steps[1].id', message: 'must be 1 to 64 letters, digits, _ or -' },
      { path: 'steps[1].id', message: 'duplicates the id of steps[0]' },
      { path: 'steps[0].next', message: `points at unknown step "${cut(target)}"` },
    ]);
  });

  it('gives a valid step id of the longest length back whole, for an editor to find its step', () => {
    const id = 'i'.repeat(64);
    expect(problemsOf([{ id, type: 'send_message' }])).toEqual([{ path: 'steps[0].text', stepId: id, message: 'is required' }]);
  });

  it('is deterministic', () => {
    const steps = [{ id: 'a', type: 'send_message', next: 'a', extra: 1 }, { id: 'a' }];
    expect(problemsOf(steps)).toEqual(problemsOf(structuredClone(steps)));
    expect(problemsOf(steps)).toHaveLength(5);
  });
});

describe('the step schemas', () => {
  it('has one schema for each step type, whose type field is that type', () => {
    expect(Object.keys(STEP_SCHEMAS)).toEqual([...STEP_TYPES]);
    for (const type of STEP_TYPES) expect(STEP_SCHEMAS[type].shape.type.value).toBe(type);
    const stepTypesMatch: Same<StepDefinition['type'], StepType> = true;
    expect(stepTypesMatch).toBe(true);
  });

  it('tells steps apart by type, in the order of STEP_TYPES', () => {
    expect(stepSchema.options.map((option) => option.shape.type.value)).toEqual([...STEP_TYPES]);
  });

  describe('parsing a single step', () => {
    it('accepts the smallest step of each type, as it is', () => {
      for (const step of Object.values(minimalStep)) expect(stepSchema.parse(step)).toEqual(step);
    });

    it('rejects a field out of range with the message validateDefinition reports', () => {
      const result = stepSchema.safeParse({ id: 'pause', type: 'wait', seconds: 0 });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
        { path: ['seconds'], message: 'must be an integer from 1 to 2592000' },
      ]);
    });
  });
});
