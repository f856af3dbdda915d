import { describe, expect, it } from '@jest/globals';
import { DomainError, ValidationError } from '../errors.js';
import { normalizeWorkflowName } from './workflow-name.js';

const rejectionOf = (name: unknown): ValidationError => {
  try {
    normalizeWorkflowName(name);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(name)} to be rejected`);
};

describe('normalizeWorkflowName', () => {
  it('returns a plain name unchanged', () => {
    expect(normalizeWorkflowName('Welcome flow')).toBe('Welcome flow');
  });

  it('trims surrounding whitespace', () => {
    expect(normalizeWorkflowName('  \tWelcome flow\n ')).toBe('Welcome flow');
  });

  it('accepts 120 characters once trimmed, even with whitespace around them', () => {
    const longest = 'n'.repeat(120);
    expect(normalizeWorkflowName(`   ${longest}   `)).toBe(longest);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { name: 'Welcome' }],
    ['an array', ['Welcome']],
    ['empty', ''],
    ['whitespace only', ' \t\n '],
  ])('rejects a name that is %s, naming the field', (_, name) => {
    const error = rejectionOf(name);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('invalid');
    expect(error.field).toBe('name');
    expect(error.message).toBe('name is required and must be a string that is not empty or only whitespace');
  });

  it('rejects a name longer than 120 characters once trimmed', () => {
    const error = rejectionOf(` ${'n'.repeat(121)} `);
    expect(error.field).toBe('name');
    expect(error.message).toBe('name must be at most 120 characters long once trimmed, not 121');
  });

  it('counts characters as code points, so 120 emoji fit and 121 do not', () => {
    expect(normalizeWorkflowName('🚀'.repeat(120))).toBe('🚀'.repeat(120));
    expect(rejectionOf('🚀'.repeat(121)).message).toBe('name must be at most 120 characters long once trimmed, not 121');
  });

  it.each([
    ['a NUL', 'Wel\u0000come'],
    ['a line break inside', 'Wel\ncome'],
    ['an escape code', 'Wel\u001b[31mcome'],
  ])('rejects a name with %s', (_, name) => {
    expect(rejectionOf(name).message).toBe('name must not contain control characters');
  });
});
