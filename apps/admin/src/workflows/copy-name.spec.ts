import { describe, expect, it } from '@jest/globals';
import { MAX_WORKFLOW_NAME_LENGTH } from '#domain';
import { copyNameOf, MAX_NAME_LENGTH } from './copy-name.js';

describe('copyNameOf', () => {
  it('offers the name with " (copy)"', () => {
    expect(copyNameOf('Greeter')).toBe('Greeter (copy)');
  });

  it('shortens a long name so that the offer stays within the limit, counted as the API counts', () => {
    expect(MAX_NAME_LENGTH).toBe(MAX_WORKFLOW_NAME_LENGTH);
    const long = copyNameOf('W'.repeat(120));
    expect([...long]).toHaveLength(120);
    expect(long).toBe(`${'W'.repeat(113)} (copy)`);
    expect([...copyNameOf('🚀'.repeat(118))]).toHaveLength(120);
    expect(copyNameOf(`${'a'.repeat(112)} bcd`)).toBe(`${'a'.repeat(112)} (copy)`);
  });
});
