import { describe, expect, it } from '@jest/globals';
import { channelConfigField, validateChannelConfig } from './channel-config.js';

const sms = {
  settings: {
    senderId: channelConfigField(/^\d{1,15}$/, 'a number'),
    region: channelConfigField(/^[a-z]{2}$/, 'a region code').optional(),
  },
  secrets: { apiKey: channelConfigField(/^\S{8,}$/, 'a key of 8 characters or more') },
};

describe('validateChannelConfig', () => {
  it('splits a configuration into settings and secrets by where its schema declares each field', () => {
    expect(validateChannelConfig('sms', sms, { senderId: '4412', apiKey: 'k3y-k3y-k3y' })).toEqual({
      settings: { senderId: '4412' },
      secrets: { apiKey: 'k3y-k3y-k3y' },
    });
    expect(validateChannelConfig('none', { settings: {}, secrets: {} }, {})).toEqual({ settings: {}, secrets: {} });
  });

  it.each([
    [{ senderId: '1', apiKey: 'k3y-k3y-k3y', colour: 'red' }, 'config.colour is not a setting of sms channels'],
    [{ senderId: '1' }, 'config.apiKey is required for sms channels'],
    [{ senderId: 1, apiKey: 'k3y-k3y-k3y' }, 'config.senderId must be a string'],
    [{ senderId: '1', apiKey: 'k3y-k3y-k3y', region: 'Europe' }, 'config.region must be a region code'],
  ])('refuses %j, naming the field', (config, message) => {
    expect(() => validateChannelConfig('sms', sms, config)).toThrow(message);
  });

  it('never repeats a value in its messages', () => {
    expect(() => validateChannelConfig('sms', sms, { senderId: '1', apiKey: 'secret value' })).not.toThrow(/secret value/);
  });

  it('names a long unknown field only by its start', () => {
    const field = 'f'.repeat(10_000);
    expect(() => validateChannelConfig('sms', sms, { senderId: '1', apiKey: 'k3y-k3y-k3y', [field]: 'x' })).toThrow(
      `config.${'f'.repeat(63)}… is not a setting of sms channels`,
    );
  });
});
