import { describe, expect, it } from '@jest/globals';
import type { BranchCondition, BranchStep } from '../workflow/step.schema.js';
import { chooseBranch, conditionHolds } from './branch.js';
import type { SessionVariables } from './variables.js';

const variables: SessionVariables = { topic: 'Billing question', plan: 'pro', age: 36, count: '12', blank: '' };

describe('conditionHolds', () => {
  it.each<[BranchCondition, boolean]>([
    [{ variable: 'plan', op: 'equals', value: 'pro' }, true],
    [{ variable: 'plan', op: 'equals', value: 'Pro' }, false],
    [{ variable: 'age', op: 'equals', value: 36 }, true],
    [{ variable: 'age', op: 'equals', value: '36' }, true],
    [{ variable: 'count', op: 'equals', value: 12 }, true],
    [{ variable: 'missing', op: 'equals', value: '' }, false],
    [{ variable: 'plan', op: 'not_equals', value: 'free' }, true],
    [{ variable: 'plan', op: 'not_equals', value: 'pro' }, false],
    [{ variable: 'missing', op: 'not_equals', value: 'pro' }, true],
    [{ variable: 'topic', op: 'contains', value: 'billing' }, true],
    [{ variable: 'topic', op: 'contains', value: 'QUESTION' }, true],
    [{ variable: 'topic', op: 'contains', value: 'refund' }, false],
    [{ variable: 'age', op: 'contains', value: 3 }, true],
    [{ variable: 'missing', op: 'contains', value: '' }, false],
    [{ variable: 'plan', op: 'exists' }, true],
    [{ variable: 'blank', op: 'exists' }, false],
    [{ variable: 'missing', op: 'exists' }, false],
    [{ variable: 'constructor', op: 'exists' }, false],
    [{ variable: 'age', op: 'gt', value: 18 }, true],
    [{ variable: 'age', op: 'gt', value: 36 }, false],
    [{ variable: 'age', op: 'lt', value: 40 }, true],
    [{ variable: 'count', op: 'gt', value: 9 }, true],
    [{ variable: 'count', op: 'lt', value: 9 }, false],
    [{ variable: 'plan', op: 'gt', value: 0 }, false],
    [{ variable: 'plan', op: 'lt', value: 0 }, false],
    [{ variable: 'missing', op: 'lt', value: 0 }, false],
  ])('%j holds: %s', (condition, expected) => {
    expect(conditionHolds(condition, variables)).toBe(expected);
  });
});

describe('chooseBranch', () => {
  const step: BranchStep = {
    id: 'route',
    type: 'branch',
    branches: [
      { condition: { variable: 'topic', op: 'contains', value: 'billing' }, next: 'billing' },
      { condition: { variable: 'plan', op: 'equals', value: 'pro' }, next: 'priority' },
    ],
    elseNext: 'general',
  };

  it('takes the first branch whose condition holds', () => {
    expect(chooseBranch(step, variables)).toBe('billing');
    expect(chooseBranch(step, { plan: 'pro' })).toBe('priority');
  });

  it('falls back to elseNext', () => {
    expect(chooseBranch(step, { plan: 'free' })).toBe('general');
    expect(chooseBranch(step, {})).toBe('general');
  });
});
