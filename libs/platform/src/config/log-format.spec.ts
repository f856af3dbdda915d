import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('LOG_FORMAT', () => {
  it('is pretty or json, and unset (the terminal decides) by default', () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: ' json ' }).logFormat).toBe('json');
  });

  it('refuses anything else, naming the variable', () => {
    for (const wrong of ['text', 'JSON', 'auto']) {
      expect(() => loadConfig({ LOG_FORMAT: wrong })).toThrow(ConfigError);
      expect(() => loadConfig({ LOG_FORMAT: wrong })).toThrow(`LOG_FORMAT must be pretty or json; got "${wrong}"`);
    }
  });
});
