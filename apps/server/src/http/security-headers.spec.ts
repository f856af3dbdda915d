import { describe, expect, it } from '@jest/globals';
import type { WebchatOrigins } from '#platform';
import { headerOptionsOf, pathKindOf } from './security-headers.js';

const SHOP = 'https://shop.example';
const headersFor = (path: string, origins: WebchatOrigins) => headerOptionsOf(pathKindOf(path), origins);
const directivesOf = (options: ReturnType<typeof headersFor>) =>
  typeof options.contentSecurityPolicy === 'object' ? options.contentSecurityPolicy.directives : undefined;

describe('headersFor', () => {
  it.each([
    '/',
    '/workflows',
    '/workflows/abc/definition',
    '/docs-json',
    '/docsets',
    '/chat',
    '/chatter/x',
    '/webchat/abc/messages',
    '/assets/x.js',
  ])('keeps every header as it is for %s', (path) => {
    expect(headersFor(path, '*')).toEqual({});
  });

  it.each(['/docs', '/docs/', '/docs/swagger-ui-init.js'])('lets %s have inline styles, and nothing else more', (path) => {
    const directives = directivesOf(headersFor(path, [SHOP]));
    expect(directives?.['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives?.['frame-ancestors']).toEqual(["'self'"]);
    expect(directives?.['script-src']).toBeUndefined();
  });

  it("lets the widget's page be framed by the allowed sites and the console, or by any site", () => {
    expect(directivesOf(headersFor('/chat/abc', [SHOP, 'http://localhost:8080']))?.['frame-ancestors']).toEqual([
      "'self'",
      SHOP,
      'http://localhost:8080',
    ]);
    expect(directivesOf(headersFor('/chat/abc', '*'))?.['frame-ancestors']).toEqual(['*']);
    expect(headersFor('/chat/abc', '*').xFrameOptions).toBe(false);
  });

  it('lets any site load the embed script', () => {
    expect(headersFor('/webchat.js', [SHOP])).toEqual({ crossOriginResourcePolicy: { policy: 'cross-origin' } });
  });
});
