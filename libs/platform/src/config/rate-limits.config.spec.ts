import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { DEFAULT_RATE_LIMITS, RATE_LIMIT_VARIABLES, loadRateLimitsConfig, parseRateLimit } from './rate-limits.config.js';

describe('loadRateLimitsConfig', () => {
  it('limits by default, per minute, counting in memory, with no proxy trusted', () => {
    expect(loadRateLimitsConfig({})).toEqual({
      enabled: true,
      store: { kind: 'memory' },
      limits: {
        webchatContact: { max: 60, windowMs: 60_000 },
        webchatAddress: { max: 300, windowMs: 60_000 },
        channelInbound: { max: 3000, windowMs: 60_000 },
        token: { max: 1200, windowMs: 60_000 },
        refusedSignIns: { max: 30, windowMs: 60_000 },
      },
      trustProxy: false,
    });
    expect(loadRateLimitsConfig({})).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('turns every limit off with RATE_LIMITS=off, and refuses anything but on or off', () => {
    expect(loadRateLimitsConfig({ RATE_LIMITS: 'off' }).enabled).toBe(false);
    expect(loadRateLimitsConfig({ RATE_LIMITS: 'on' }).enabled).toBe(true);
    expect(() => loadRateLimitsConfig({ RATE_LIMITS: 'false' })).toThrow(new ConfigError('RATE_LIMITS must be on or off; got "false"'));
  });

  it('takes each limit from its variable', () => {
    const { limits } = loadRateLimitsConfig({
      RATE_LIMIT_WEBCHAT_CONTACT: '20/min',
      RATE_LIMIT_WEBCHAT_ADDRESS: '10/s',
      RATE_LIMIT_CHANNEL_INBOUND: '100000/h',
      RATE_LIMIT_TOKEN: 'unlimited',
      RATE_LIMIT_REFUSED_SIGN_INS: '5',
    });
    expect(limits).toEqual({
      webchatContact: { max: 20, windowMs: 60_000 },
      webchatAddress: { max: 10, windowMs: 1000 },
      channelInbound: { max: 100_000, windowMs: 3_600_000 },
      token: 'unlimited',
      refusedSignIns: { max: 5, windowMs: 60_000 },
    });
  });

  it('names the variable of a wrong limit', () => {
    for (const { variable } of Object.values(RATE_LIMIT_VARIABLES)) {
      expect(() => loadRateLimitsConfig({ [variable]: 'lots' })).toThrow(`${variable} must be a count per window`);
    }
  });

  it('counts in MongoDB when asked, or by default when the read models are there, on MONGODB_URI', () => {
    const uri = 'mongodb://localhost:27017/workflows?replicaSet=rs0';
    expect(loadRateLimitsConfig({ RATE_LIMIT_STORE: 'mongodb', MONGODB_URI: uri }).store).toEqual({ kind: 'mongodb', uri });
    expect(loadRateLimitsConfig({ READ_MODEL: 'mongodb', MONGODB_URI: uri }).store).toEqual({ kind: 'mongodb', uri });
    expect(loadRateLimitsConfig({ READ_MODEL: 'mongodb', MONGODB_URI: uri, RATE_LIMIT_STORE: 'memory' }).store).toEqual({ kind: 'memory' });
    expect(() => loadRateLimitsConfig({ RATE_LIMIT_STORE: 'mongodb' })).toThrow(
      new ConfigError('MONGODB_URI is required when RATE_LIMIT_STORE=mongodb'),
    );
    expect(() => loadRateLimitsConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(
      new ConfigError('RATE_LIMIT_STORE must be one of memory, mongodb; got "redis"'),
    );
  });

  it('trusts X-Forwarded-For from a number of proxy hops or from listed proxies only', () => {
    expect(loadRateLimitsConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadRateLimitsConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadRateLimitsConfig({ TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    for (const [value, named] of [
      ['yes', 'yes'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['10.0.0.1, proxy.internal', 'proxy.internal'],
      ['::1/129', '::1/129'],
      ['1.2.3.4/8/8', '1.2.3.4/8/8'],
      [',', ','],
    ]) {
      expect(() => loadRateLimitsConfig({ TRUST_PROXY: value })).toThrow(
        new ConfigError(
          `TRUST_PROXY must be a number of proxy hops or the proxies' addresses and ranges, such as 10.0.0.0/8, ::1; got "${named}"`,
        ),
      );
    }
  });
});

describe('parseRateLimit', () => {
  it('reads a count per window: a bare count is per minute, a window may have a number of units', () => {
    expect(parseRateLimit('X', '60')).toEqual({ max: 60, windowMs: 60_000 });
    expect(parseRateLimit('X', ' 60 / min ')).toEqual({ max: 60, windowMs: 60_000 });
    expect(parseRateLimit('X', '100/10s')).toEqual({ max: 100, windowMs: 10_000 });
    expect(parseRateLimit('X', '5000/2h')).toEqual({ max: 5000, windowMs: 7_200_000 });
    expect(parseRateLimit('X', 'unlimited')).toBe('unlimited');
  });

  it('refuses 0, which would refuse everything, pointing to unlimited instead', () => {
    expect(() => parseRateLimit('RATE_LIMIT_TOKEN', '0/min')).toThrow(
      new ConfigError(
        'RATE_LIMIT_TOKEN must be a count per window such as 60/min, 10/s, 100/10s or 5000/h, or unlimited; 0 would refuse every request: write unlimited for no limit',
      ),
    );
  });

  it('refuses what is not a whole count per s, min or h', () => {
    for (const wrong of ['-1', '1.5', '60/m', '60/day', '60 per minute', '/min', '', 'Unlimited', '10/0s', '2000000000']) {
      expect(() => parseRateLimit('RATE_LIMIT_TOKEN', wrong)).toThrow(/^RATE_LIMIT_TOKEN must be a count per window/);
    }
  });
});
