import { describe, expect, it } from '@jest/globals';
import { stepJsonSchema, stepTypeCatalog, type JsonSchema } from './step.json-schema.js';
import { STEP_TYPES } from './step.schema.js';

type ObjectSchema = JsonSchema & { properties: { [field: string]: JsonSchema }; required?: string[] };

const schemaOf = (type: string): ObjectSchema => {
  const item = stepTypeCatalog().items.find((candidate) => candidate.type === type);
  if (!item) throw new Error(`no step type ${type}`);
  return item.schema as ObjectSchema;
};

describe('stepTypeCatalog', () => {
  it('describes every step type, in the order of STEP_TYPES, with a title and a description', () => {
    const { items } = stepTypeCatalog();
    expect(items.map(({ type }) => type)).toEqual([...STEP_TYPES]);
    expect(items.map(({ title }) => title)).toEqual([
      'Send message',
      'Ask question',
      'Branch',
      'Route to team',
      'Invoke AI agent',
      'Wait',
      'End',
    ]);
    for (const { title, description, schema } of items) {
      expect(description).toMatch(/\w/);
      expect(schema).toMatchObject({ type: 'object', title, description, additionalProperties: false });
    }
  });

  it.each([
    ['send_message', ['id', 'type', 'text', 'next'], ['id', 'type', 'text']],
    [
      'ask_question',
      [
        ...['id', 'type', 'text', 'variable', 'answerType', 'options', 'retryText', 'maxRetries'],
        ...['invalidNext', 'timeoutSeconds', 'timeoutNext', 'next'],
      ],
      ['id', 'type', 'text', 'variable'],
    ],
    ['branch', ['id', 'type', 'branches', 'elseNext'], ['id', 'type', 'branches', 'elseNext']],
    ['route_to_team', ['id', 'type', 'team', 'note'], ['id', 'type', 'team']],
    [
      'invoke_ai_agent',
      ['id', 'type', 'instructions', 'handoffTeam', 'handoffText', 'maxTurns', 'next'],
      ['id', 'type', 'instructions', 'handoffTeam'],
    ],
    ['wait', ['id', 'type', 'seconds', 'next'], ['id', 'type', 'seconds']],
    ['end', ['id', 'type'], ['id', 'type']],
  ])('lists the fields of %s and the required ones', (type, fields, required) => {
    const schema = schemaOf(type);
    expect(Object.keys(schema.properties)).toEqual(fields);
    expect(schema.required).toEqual(required);
    expect(schema.properties.type).toEqual({ type: 'string', enum: [type], description: 'The step type.' });
  });

  it('gives every field a description a form can show as help', () => {
    for (const type of STEP_TYPES) {
      for (const [field, property] of Object.entries(schemaOf(type).properties)) {
        expect([type, field, typeof property.description]).toEqual([type, field, 'string']);
      }
    }
  });

  it.each([
    ['send_message', ['next']],
    ['ask_question', ['invalidNext', 'timeoutNext', 'next']],
    ['branch', ['elseNext']],
    ['invoke_ai_agent', ['next']],
    ['wait', ['next']],
  ])('marks the fields of %s that name a step with format step-id', (type, targets) => {
    const properties = schemaOf(type).properties;
    const marked = Object.keys(properties).filter((field) => properties[field].format === 'step-id');
    expect(marked).toEqual(targets);
  });

  it('carries the limits validation enforces', () => {
    const question = schemaOf('ask_question').properties;
    expect(question.text).toMatchObject({ type: 'string', minLength: 1, maxLength: 4096, pattern: '\\S' });
    expect(question.variable).toMatchObject({ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' });
    expect(question.answerType).toMatchObject({ type: 'string', enum: ['text', 'number', 'email', 'phone', 'choice'] });
    expect(question.maxRetries).toMatchObject({ type: 'integer', minimum: 0, maximum: 10 });
    expect(question.timeoutSeconds).toMatchObject({ type: 'integer', minimum: 1, maximum: 2_592_000 });
    expect(question.options).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'object',
        required: ['label'],
        additionalProperties: false,
        properties: { label: { maxLength: 100 }, value: { maxLength: 100 }, next: { format: 'step-id' } },
      },
    });
    expect(schemaOf('send_message').properties.id).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' });
    expect(schemaOf('invoke_ai_agent').properties).toMatchObject({
      instructions: { maxLength: 8000 },
      handoffTeam: { maxLength: 100 },
      maxTurns: { type: 'integer', minimum: 1, maximum: 50 },
    });
  });

  it('shows a branch condition as one of its operators, a value only where the operator takes one', () => {
    const branches = schemaOf('branch').properties.branches as JsonSchema & { items: ObjectSchema };
    expect(branches).toMatchObject({ type: 'array', minItems: 1, maxItems: 20 });
    expect(branches.items.required).toEqual(['condition', 'next']);
    const conditions = branches.items.properties.condition.oneOf as ObjectSchema[];
    const summary = conditions.map(({ properties, required, additionalProperties }) => ({
      op: properties.op.enum,
      value: properties.value,
      required,
      additionalProperties,
    }));
    const anyValue = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 4096 }], description: expect.any(String) };
    const numberValue = { type: 'number', description: expect.any(String) };
    const comparing = ['variable', 'op', 'value'];
    expect(summary).toEqual([
      { op: ['equals'], value: anyValue, required: comparing, additionalProperties: false },
      { op: ['not_equals'], value: anyValue, required: comparing, additionalProperties: false },
      { op: ['contains'], value: anyValue, required: comparing, additionalProperties: false },
      { op: ['exists'], value: undefined, required: ['variable', 'op'], additionalProperties: false },
      { op: ['gt'], value: numberValue, required: comparing, additionalProperties: false },
      { op: ['lt'], value: numberValue, required: comparing, additionalProperties: false },
    ]);
  });

  it('describes the settings', () => {
    expect(stepTypeCatalog().settings).toEqual({
      type: 'object',
      title: 'Settings',
      properties: {
        sessionTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 2_592_000, description: expect.any(String) },
      },
      additionalProperties: false,
    });
  });
});

describe('stepJsonSchema', () => {
  it('is one of the step types, the same schemas the catalog lists', () => {
    expect(stepJsonSchema()).toEqual({ oneOf: stepTypeCatalog().items.map(({ schema }) => schema) });
  });
});
