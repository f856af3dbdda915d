import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { metricsToken } from './metrics.config.js';

/** The error a value is refused with. */
const refusalOf = (value: string): Error => {
  try {
    metricsToken(value);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
};

describe('METRICS_TOKEN', () => {
  it.each([undefined, '', '   '])('leaves /metrics open when it is %p', (value) => {
    expect(metricsToken(value)).toBeUndefined();
  });

  it('is the token, without the blanks around it', () => {
    expect(metricsToken('  scrape-0123456789abcdef \n')).toBe('scrape-0123456789abcdef');
  });

  it.each([
    ['too short', 'short-token', /at least 16 characters/],
    ['with a space inside', 'scrape 0123456789abcdef', /printable ASCII without spaces/],
    ['with a control character', 'scrape-0123456789\u0007abcdef', /printable ASCII without spaces/],
    ['beyond ASCII', 'scrape-0123456789abcdéf', /printable ASCII without spaces/],
  ])('refuses a token %s, naming the variable and not the value', (_case, value, reason) => {
    const refusal = refusalOf(value);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal.message).toMatch(/^METRICS_TOKEN /);
    expect(refusal.message).toMatch(reason);
    expect(refusal.message).not.toContain(value);
  });
});
