import { describe, expect, it } from '@jest/globals';
import { MAX_QUOTED_LENGTH, quotedInput } from './quoted-input.js';

describe('quotedInput', () => {
  it('repeats a short input as it is, a UUID among them', () => {
    expect(quotedInput('not-a-uuid')).toBe('not-a-uuid');
    expect(quotedInput('1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(quotedInput('x'.repeat(MAX_QUOTED_LENGTH))).toBe('x'.repeat(MAX_QUOTED_LENGTH));
  });

  it('cuts a longer one to the limit, counting characters rather than UTF-16 units, and marks the cut', () => {
    expect(quotedInput('x'.repeat(5000))).toBe(`${'x'.repeat(MAX_QUOTED_LENGTH - 1)}…`);
    const quoted = quotedInput('🚀'.repeat(MAX_QUOTED_LENGTH + 1));
    expect([...quoted]).toHaveLength(MAX_QUOTED_LENGTH);
    expect(quoted).toBe(`${'🚀'.repeat(MAX_QUOTED_LENGTH - 1)}…`);
  });
});
