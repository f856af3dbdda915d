import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions, type strictTransportSecurity, type xFrameOptions } from 'helmet';
import type { WebchatOrigins } from '#platform';

/** The part of helmet's options this server sets (helmet's own type is a union too wide to spread). */
interface HeaderOptions {
  contentSecurityPolicy?: HelmetOptions['contentSecurityPolicy'];
  crossOriginResourcePolicy?: HelmetOptions['crossOriginResourcePolicy'];
  referrerPolicy?: HelmetOptions['referrerPolicy'];
  strictTransportSecurity?: NonNullable<Parameters<typeof strictTransportSecurity>[0]>;
  xFrameOptions?: NonNullable<Parameters<typeof xFrameOptions>[0]> | false;
}
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

/** Kinds of path whose headers differ from EVERY_ANSWER (headerOptionsOf). */
const PATH_KINDS = ['docs', 'widget-page', 'embed-script', 'other'] as const;
type PathKind = (typeof PATH_KINDS)[number];

export const pathKindOf = (path: string): PathKind =>
  DOCS.test(path) ? 'docs' : WIDGET_PAGE.test(path) ? 'widget-page' : path === EMBED_SCRIPT ? 'embed-script' : 'other';

/**
 * The header options that differ for a kind of path from EVERY_ANSWER:
 * - `/docs`: Swagger UI's page has inline `<style>` blocks and style attributes that
 *   @nestjs/swagger gives no nonce to, so styles (never scripts) may be inline there only;
 * - `/chat/:channelId`, the web chat widget: customers' sites frame it, so the sites allowed by
 *   WEBCHAT_ALLOWED_ORIGINS (any site for `*`) may be its frame ancestors, and X-Frame-Options,
 *   which cannot name them, is left out;
 * - `/webchat.js`: any site loads it with a script tag, which a same-origin resource policy blocks.
 */
export const headerOptionsOf = (kind: PathKind, webchatOrigins: WebchatOrigins): HeaderOptions => {
  switch (kind) {
    case 'docs':
      return { contentSecurityPolicy: policy({ ...PAGE_DIRECTIVES, 'style-src': ["'self'", "'unsafe-inline'"] }) };
    case 'widget-page': {
      const ancestors = webchatOrigins === '*' ? ['*'] : ["'self'", ...webchatOrigins];
      return { contentSecurityPolicy: policy({ ...PAGE_DIRECTIVES, 'frame-ancestors': ancestors }), xFrameOptions: false };
    }
    case 'embed-script':
      return { crossOriginResourcePolicy: { policy: 'cross-origin' } };
    case 'other':
      return {};
  }
};

/** The headers helmet sets, and those it removes, for some options. */
interface HeaderSet {
  set: [name: string, value: string][];
  removed: string[];
}

/**
 * What helmet writes for `options`, asked once: helmet builds its policies anew on every call,
 * which cost more per request than the rest of answering /health. Every directive here is a
 * plain string, so the headers are the same for every request.
 */
const headerSetOf = (options: HeaderOptions): HeaderSet => {
  const headers: HeaderSet = { set: [], removed: [] };
  const recorder = {
    setHeader: (name: string, value: string) => headers.set.push([name.toLowerCase(), String(value)]),
    removeHeader: (name: string) => headers.removed.push(name.toLowerCase()),
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw new Error('helmet refused the security header options', { cause: error });
  });
  return headers;
};

/**
 * Security headers on every answer (helmet's, computed once per kind of path), and
 * `Cache-Control: no-store` on every answer that does not set its own caching: API answers hold
 * one workspace's data or a customer's transcript, which no shared cache may keep. The console's
 * files set theirs (console-assets.ts); streams that write their own headers (SSE, NDJSON) say
 * no-store themselves. Register before the console, whose page is answered from an onRequest hook.
 */
export const useSecurityHeaders = async (fastify: FastifyInstance, webchatOrigins: WebchatOrigins): Promise<void> => {
  const headerSets = new Map(
    PATH_KINDS.map((kind) => [kind, headerSetOf({ ...EVERY_ANSWER, ...headerOptionsOf(kind, webchatOrigins) })] as const),
  );
  fastify.addHook('onRequest', async (request, reply) => {
    const headers = headerSets.get(pathKindOf(request.url.split('?')[0]))!;
    // On the raw response, as helmet itself does: streams that write their own head keep them.
    for (const [name, value] of headers.set) reply.raw.setHeader(name, value);
    for (const name of headers.removed) reply.raw.removeHeader(name);
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
};
