import { describe, expect, it } from '@jest/globals';
import { flattenSchema, type JsonSchema } from './step-types.js';

/** A branch condition as `GET /step-types` describes it: one variant per operator. */
const condition: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      title: 'Equals',
      properties: { op: { const: 'equals' }, value: { type: ['number', 'string'], description: 'Compared as text.' } },
      required: ['op', 'value'],
    },
    { type: 'object', title: 'Has a value', properties: { op: { const: 'exists' } }, required: ['op'] },
    {
      type: 'object',
      title: 'Greater than',
      properties: { op: { const: 'gt' }, value: { type: 'number', description: 'A number.' } },
      required: ['op', 'value'],
    },
  ],
};

describe('flattenSchema', () => {
  it('shows one form for all variants, the operator choosing among them by title', () => {
    const flat = flattenSchema(condition);
    expect(flat.properties?.op).toMatchObject({ enum: ['equals', 'exists', 'gt'], enumTitles: { equals: 'Equals', gt: 'Greater than' } });
    expect(flat.required).toEqual(['op']);
  });

  it('describes the other fields as the variant the value picked has them', () => {
    expect(flattenSchema(condition, { op: 'gt', value: 3 }).properties?.value).toEqual({ type: 'number', description: 'A number.' });
    expect(flattenSchema(condition, { op: 'equals', value: 'Red' }).properties?.value).toEqual({
      type: ['number', 'string'],
      description: 'Compared as text.',
    });
    expect(flattenSchema(condition, { op: 'exists' }).properties?.op?.enumTitles).toMatchObject({ exists: 'Has a value' });
  });

  it('requires the fields the variant the value picked requires', () => {
    expect(flattenSchema(condition, { op: 'equals' }).required).toEqual(['op', 'value']);
    expect(flattenSchema(condition, { op: 'gt', value: 3 }).required).toEqual(['op', 'value']);
    expect(flattenSchema(condition, { op: 'exists' }).required).toEqual(['op']);
    expect(flattenSchema(condition, { op: 'unknown' }).required).toEqual(['op']);
  });
});
