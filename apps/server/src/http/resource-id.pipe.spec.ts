import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { ResourceIdPipe } from './resource-id.pipe.js';

describe('ResourceIdPipe', () => {
  const pipe = new ResourceIdPipe('Workflow');
  const refusal = (value: string): string => {
    try {
      pipe.transform(value);
    } catch (error) {
      if (error instanceof NotFoundException) return (error.getResponse() as { message: string }).message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('takes a UUID, in lower case', () => {
    expect(pipe.transform('1B4E28BA-2FA1-11D2-883F-0016D3CCA427')).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('answers anything else with a 404 that names a short id and only the start of a long one', () => {
    expect(refusal('not-a-uuid')).toBe('Workflow not-a-uuid not found');
    expect(refusal('x'.repeat(100_000))).toBe(`Workflow ${'x'.repeat(63)}… not found`);
  });
});
