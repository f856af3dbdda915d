import { describe, expect, it } from '@jest/globals';
import type { ChannelAdapter } from './channel-adapter.port.js';
import { CHANNEL_ADAPTERS, ChannelRegistry, UnknownChannelTypeError, channelRegistry } from './channel-registry.js';

const whatsapp = { phoneNumberId: '106540352242922', accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-me' };
const messenger = { pageId: '1067280970047460', pageAccessToken: 'EAAG-page', appSecret: 'app-secret', verifyToken: 'verify-me' };

const throwaway: ChannelAdapter<'throwaway'> = {
  type: 'throwaway',
  config: { settings: {}, secrets: {} },
  inbound: { kind: 'direct' },
  outbound: { kind: 'transcript' },
};

describe('the channel registry', () => {
  it('has one adapter per channel type, each under its own name', () => {
    expect(channelRegistry.types).toEqual(Object.keys(CHANNEL_ADAPTERS));
    for (const type of channelRegistry.types) expect(channelRegistry.adapterFor(type).type).toBe(type);
    expect(() => new ChannelRegistry({ sms: throwaway })).toThrow('registered as "sms" calls itself "throwaway"');
  });

  it('throws, naming the type, for a channel type without an adapter; a name from outside is merely not found', () => {
    expect(() => channelRegistry.adapterFor('telegram')).toThrow(UnknownChannelTypeError);
    expect(() => channelRegistry.adapterFor('telegram')).toThrow('No channel adapter is registered for channel type "telegram"');
    expect(channelRegistry.find('telegram')).toBeUndefined();
    expect(channelRegistry.find('toString')).toBeUndefined();
  });

  it('names the types whose channels the engine pushes to: every one but web chat, and no transcript-only type', () => {
    expect(channelRegistry.pushedTypes).toEqual(['whatsapp', 'messenger', 'api']);
    expect(channelRegistry.with(throwaway).pushedTypes).toEqual(['whatsapp', 'messenger', 'api']);
  });

  it('takes more adapters for a test without changing the service registry', () => {
    const extended = channelRegistry.with(throwaway);
    expect(extended.adapterFor('throwaway')).toBe(throwaway);
    expect(channelRegistry.find('throwaway')).toBeUndefined();
  });

  describe('validateConfig', () => {
    it('accepts an empty web chat configuration', () => {
      expect(channelRegistry.validateConfig('webchat', {})).toEqual({ settings: {}, secrets: {} });
    });

    it('splits a WhatsApp and a Messenger configuration into settings and secrets', () => {
      expect(channelRegistry.validateConfig('whatsapp', { ...whatsapp, apiBaseUrl: 'http://127.0.0.1:9', apiVersion: 'v21.0' })).toEqual({
        settings: { phoneNumberId: '106540352242922', apiBaseUrl: 'http://127.0.0.1:9', apiVersion: 'v21.0' },
        secrets: { accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-me' },
      });
      expect(channelRegistry.validateConfig('messenger', messenger)).toEqual({
        settings: { pageId: '1067280970047460' },
        secrets: { pageAccessToken: 'EAAG-page', appSecret: 'app-secret', verifyToken: 'verify-me' },
      });
    });

    it.each([
      ['telegram', {}, `type must be one of ${Object.keys(CHANNEL_ADAPTERS).join(', ')}`],
      ['webchat', { colour: 'red' }, 'config.colour is not a setting of webchat channels'],
      ['whatsapp', { ...whatsapp, pageId: '1' }, 'config.pageId is not a setting of whatsapp channels'],
      ['whatsapp', { ...whatsapp, accessToken: undefined }, 'config.accessToken is required for whatsapp channels'],
      ['whatsapp', { ...whatsapp, phoneNumberId: 'phone' }, 'config.phoneNumberId must be a numeric id'],
      ['whatsapp', { ...whatsapp, apiBaseUrl: 'ftp://graph' }, 'config.apiBaseUrl must be an http(s) URL'],
      ['whatsapp', { ...whatsapp, apiVersion: '21' }, 'config.apiVersion must be a Graph API version'],
      ['messenger', { ...messenger, appSecret: 42 }, 'config.appSecret must be a string'],
      ['messenger', { ...messenger, verifyToken: 'has space' }, 'config.verifyToken must be a token'],
    ] as const)('refuses a %s configuration, naming the field', (type, config, message) => {
      const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
      expect(() => channelRegistry.validateConfig(type, defined)).toThrow(message);
    });

    it('never repeats a value in its messages', () => {
      expect(() => channelRegistry.validateConfig('messenger', { ...messenger, verifyToken: 'secret value' })).not.toThrow(/secret value/);
    });
  });
});
