import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markConsolePage } from '../http/route-label.js';

/** Paths the console never takes over, even for a browser's navigation. */
const SERVER_PATHS = /^\/(docs|docs-json|health|assets)(\/|$)|^\/[^/]+\.[A-Za-z0-9]+$/;
const HASHED_ASSETS = /^\/assets\//;
/** Paths the API has nothing under: the page whatever is asked for (`curl` included). */
const CONSOLE_ONLY_PATHS = /^\/(chat\/[^/]+\/?)?$/;

/** Where `npm run build` writes the console: `dist/admin` beside the package that holds this file. */
export const builtConsoleDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the server');
    dir = parent;
  }
  return join(dir, 'dist', 'admin');
};

/**
 * A browser's navigation (a GET that asks for HTML) gets the console's page, whatever its path:
 * the console's routes (`/workflows/:id`, `/chat/:channelId`) share paths with the API, which
 * answers JSON to every other request. `fetch` from the console asks for JSON, so it reaches the API.
 * `/` and the widget's `/chat/:channelId` are the console's alone (the API has nothing there):
 * they get the page whatever is asked for.
 */
export const isPageNavigation = (request: FastifyRequest): boolean => {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  return CONSOLE_ONLY_PATHS.test(path) || ((request.headers.accept ?? '').includes('text/html') && !SERVER_PATHS.test(path));
};

/**
 * Serves the built console: hashed assets cached for a year, everything else (the page, the
 * widget’s embed script) revalidated on every load, so that browsers pick up a new release (read
 * at start: the server is restarted with it) at once.
 */
export const serveConsole = async (fastify: FastifyInstance, consoleDir: string): Promise<'served' | 'not built'> => {
  const indexFile = join(consoleDir, 'index.html');
  if (!existsSync(indexFile)) {
    fastify.addHook('onRequest', async (request, reply) => {
      if (isPageNavigation(request)) {
        markConsolePage(request);
        await reply.code(503).type('text/plain; charset=utf-8').send(`The console is not built (no ${indexFile}): run "npm run build".`);
      }
    });
    return 'not built';
  }
  const page = readFileSync(indexFile);
  const sendPage = (reply: FastifyReply) => reply.code(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  fastify.addHook('onRequest', async (request, reply) => {
    if (isPageNavigation(request)) {
      markConsolePage(request);
      await sendPage(reply);
    }
  });
  await fastify.register(fastifyStatic, {
    root: consoleDir,
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (response, path) => {
      const hashed = HASHED_ASSETS.test(`/${path.slice(consoleDir.length + 1)}`);
      response.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return 'served';
};
