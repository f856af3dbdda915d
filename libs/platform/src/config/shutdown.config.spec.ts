import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, shutdownTimeoutMs } from './shutdown.config.js';

describe('SHUTDOWN_TIMEOUT_MS', () => {
  it('defaults to 10 s and takes a positive whole number of milliseconds', () => {
    expect(shutdownTimeoutMs(undefined)).toBe(DEFAULT_SHUTDOWN_TIMEOUT_MS);
    expect(shutdownTimeoutMs(' ')).toBe(10_000);
    expect(shutdownTimeoutMs('2500')).toBe(2500);
  });

  it.each(['0', '-1', '1.5', '10s', 'soon'])('refuses %p, naming the variable', (value) => {
    expect(() => shutdownTimeoutMs(value)).toThrow(ConfigError);
    expect(() => shutdownTimeoutMs(value)).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });
});
