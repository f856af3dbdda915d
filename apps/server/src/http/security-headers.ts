import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { WebchatOrigins } from '#platform';

/** Helmet's options, as the reply decorator of @fastify/helmet takes them. */
type HeaderOptions = NonNullable<Parameters<FastifyReply['helmet']>[0]>;
type Directives = Record<string, string[]>;

/**
 * What every page of the server may load: its own scripts, styles, frames and API, images also as
 * data: URLs (the console's icon, Swagger UI's SVG backgrounds), nothing else. Inline scripts and
 * styles are refused; the console sets styles only through the DOM, which CSP allows.
 * `upgrade-insecure-requests` is left out: the embedded server speaks plain HTTP on a LAN too.
 */
const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src-attr': ["'none'"],
};

const policy = (directives: Directives): HeaderOptions['contentSecurityPolicy'] => ({ useDefaults: false, directives });

/** Headers for every answer; some paths change a few of them (headersFor). */
const EVERY_ANSWER: HeaderOptions = {
  contentSecurityPolicy: policy(PAGE_DIRECTIVES),
  // Only the console frames the console (the editor's Try it frames the widget).
  xFrameOptions: { action: 'sameorigin' },
  // Sign-in links carry a token and widget links a contact id: no address leaves in a Referer.
  referrerPolicy: { policy: 'no-referrer' },
  // A year, this host only: the service cannot speak for other hosts of its domain. Browsers
  // ignore the header over plain HTTP, so the embedded server on localhost is unaffected.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  crossOriginResourcePolicy: { policy: 'same-origin' },
};

const DOCS = /^\/docs(\/|$)/;
const WIDGET_PAGE = /^\/chat\//;
const EMBED_SCRIPT = '/webchat.js';

/**
 * The header options that differ for a path from EVERY_ANSWER:
 * - `/docs`: Swagger UI's page has inline `<style>` blocks and style attributes that
 *   @nestjs/swagger gives no nonce to, so styles (never scripts) may be inline there only;
 * - `/chat/:channelId`, the web chat widget: customers' sites frame it, so the sites allowed by
 *   WEBCHAT_ALLOWED_ORIGINS (any site for `*`) may be its frame ancestors, and X-Frame-Options,
 *   which cannot name them, is left out;
 * - `/webchat.js`: any site loads it with a script tag, which a same-origin resource policy blocks.
 */
export const headersFor = (path: string, webchatOrigins: WebchatOrigins): HeaderOptions => {
  if (DOCS.test(path)) return { contentSecurityPolicy: policy({ ...PAGE_DIRECTIVES, 'style-src': ["'self'", "'unsafe-inline'"] }) };
  if (WIDGET_PAGE.test(path)) {
    const ancestors = webchatOrigins === '*' ? ['*'] : ["'self'", ...webchatOrigins];
    return { contentSecurityPolicy: policy({ ...PAGE_DIRECTIVES, 'frame-ancestors': ancestors }), xFrameOptions: false };
  }
  if (path === EMBED_SCRIPT) return { crossOriginResourcePolicy: { policy: 'cross-origin' } };
  return {};
};

/**
 * Security headers on every answer (through @fastify/helmet), and `Cache-Control: no-store` on
 * every answer that does not set its own caching: API answers hold one workspace's data or a
 * customer's transcript, which no shared cache may keep. The console's files set theirs
 * (console-assets.ts); streams that write their own headers (SSE, NDJSON) say no-store themselves.
 * Register before the console, whose page is answered from an onRequest hook.
 */
export const useSecurityHeaders = async (fastify: FastifyInstance, webchatOrigins: WebchatOrigins): Promise<void> => {
  // Not global: the hook below applies the headers once per request, with its path's differences.
  await fastify.register(fastifyHelmet, { ...EVERY_ANSWER, global: false });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.helmet(headersFor(request.url.split('?')[0], webchatOrigins));
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
};
