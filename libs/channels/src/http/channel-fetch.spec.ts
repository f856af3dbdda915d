import { describe, expect, it } from '@jest/globals';
import { channelFetch, isPublicAddress, PrivateAddressRefusedError, publicOnlyLookup } from './channel-fetch.js';
import { postJson } from './json-post.js';
import { jsonAnswer, useLoopbackServer } from './loopback-server.fixture.js';

describe('channelFetch', () => {
  const server = useLoopbackServer();
  const post = (url: string, fetchImpl: typeof fetch) =>
    postJson({ url, headers: {}, body: { hello: 1 }, timeoutMs: 5_000, peerName: 'the callback' }, fetchImpl);

  it.each([
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['not an address', false],
  ])('counts %s as public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it.each([
    ['an address', (port: number) => `http://127.0.0.1:${port}/hook`],
    ['a name', (port: number) => `http://localhost:${port}/hook`],
    ['an IPv6 address', (port: number) => `http://[::1]:${port}/hook`],
    ['an IPv4 address mapped into IPv6', (port: number) => `http://[::ffff:127.0.0.1]:${port}/hook`],
  ])('refuses to connect to a private host given as %s, by default', async (_case, url) => {
    server.answer = jsonAnswer(200, {});
    const outcome = await post(url(Number(new URL(server.baseUrl).port)), channelFetch('refuse'));
    expect(outcome).toEqual({ kind: 'unreachable', reason: expect.stringContaining('a private address channels may not call') });
    expect(server.requests).toEqual([]);
  });

  it('reaches a private host when the deployment allows it', async () => {
    server.answer = jsonAnswer(200, { ok: true });
    expect(await post(`${server.baseUrl}/hook`, channelFetch('allow'))).toEqual({ kind: 'answered', status: 200, body: { ok: true } });
    expect(server.requests).toHaveLength(1);
  });

  it('resolves a public host as Node does, in either answer shape', async () => {
    const resolve = (all: boolean) =>
      new Promise((done, fail) =>
        publicOnlyLookup('8.8.8.8', { all }, (error, address, family) => (error ? fail(error) : done(all ? address : { address, family }))),
      );
    expect(await resolve(false)).toEqual({ address: '8.8.8.8', family: 4 });
    expect(await resolve(true)).toEqual([{ address: '8.8.8.8', family: 4 }]);
    await expect(
      new Promise((done, fail) => publicOnlyLookup('localhost', {}, (error) => (error ? fail(error) : done(undefined)))),
    ).rejects.toBeInstanceOf(PrivateAddressRefusedError);
  });
});
