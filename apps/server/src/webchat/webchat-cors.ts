import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebchatOrigins } from '#platform';

/** The widget's endpoints; `/webchat.js` is a file any page loads with a plain script tag. */
const WEBCHAT_ROUTES = /^\/webchat\//;
/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The options for one request: CORS headers (preflight included) only on the web chat routes and
 * only for an allowed origin; every other route, and a refused origin, gets none.
 */
export const webchatCorsFor = (request: Pick<FastifyRequest, 'url' | 'headers'>, allowed: WebchatOrigins): FastifyCorsOptions => {
  if (!WEBCHAT_ROUTES.test(request.url)) return { origin: false };
  const { origin } = request.headers;
  if (allowed !== '*' && (origin === undefined || !allowed.includes(origin))) return { origin: false };
  return {
    origin: allowed === '*' ? '*' : origin,
    methods: ['GET', 'POST'],
    allowedHeaders: ['accept', 'content-type'],
    // A widget told 429 waits as long as the answer says.
    exposedHeaders: ['retry-after'],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  };
};

/** Lets pages of other sites (a shop embedding the chat) call the web chat endpoints. */
export const answerWebchatCors = async (fastify: FastifyInstance, allowed: WebchatOrigins): Promise<void> => {
  await fastify.register(fastifyCors, {
    delegator: (request, callback) => callback(null, webchatCorsFor(request, allowed)),
  });
};
