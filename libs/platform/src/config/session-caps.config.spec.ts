import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { sessionCapsConfig } from './session-caps.config.js';

describe('MAX_OPEN_SESSIONS_PER_CHANNEL', () => {
  it('is 10,000 sessions per channel when unset or empty', () => {
    expect(sessionCapsConfig({})).toEqual({ maxOpenSessionsPerChannel: 10_000 });
    expect(sessionCapsConfig({ MAX_OPEN_SESSIONS_PER_CHANNEL: ' ' })).toEqual({ maxOpenSessionsPerChannel: 10_000 });
  });

  it('takes a positive whole number', () => {
    expect(sessionCapsConfig({ MAX_OPEN_SESSIONS_PER_CHANNEL: '3' })).toEqual({ maxOpenSessionsPerChannel: 3 });
    expect(sessionCapsConfig({ MAX_OPEN_SESSIONS_PER_CHANNEL: ' 250000 ' })).toEqual({ maxOpenSessionsPerChannel: 250_000 });
  });

  it.each(['0', '-5', '2.5', '1e4', 'ten', '0x10', '99999999999999999999'])('refuses %p, naming the variable', (value) => {
    const parse = () => sessionCapsConfig({ MAX_OPEN_SESSIONS_PER_CHANNEL: value });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`MAX_OPEN_SESSIONS_PER_CHANNEL must be a positive whole number of sessions; got "${value}"`);
  });
});
