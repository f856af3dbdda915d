import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { routeLabelOf } from '../http/route-label.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a proxy's or a caller's id looks like (a UUID, a hex or base64url string); anything else is not copied into the logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is a sane one, so that one request can be followed across services; else a new UUID. */
export const requestIdOf = (request: Pick<IncomingMessage, 'headers'>): string => {
  const given = request.headers[REQUEST_ID_HEADER];
  if (typeof given === 'string' && SANE_REQUEST_ID.test(given)) return given;
  // Written back, so that what reads the header (the events' correlationId) has the id the
  // response and the log lines carry: an auditor can join them.
  const assigned = randomUUID();
  request.headers[REQUEST_ID_HEADER] = assigned;
  return assigned;
};

/**
 * One line per request, written when it completes: method, route pattern, status, duration in ms,
 * and the request id (bound to every line of the request by Fastify); a 503 (not ready, shutting
 * down, a store out) is a warning, other 5xx errors. Fastify's own lines, which
 * would print the URL, are not written.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  /** The request line says 404 and that no route matched; the URL it asked for is not logged. */
  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const route = routeLabelOf(request);
    const line = { method: request.method, route, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 100) / 100 };
    const message = `${request.method} ${route ?? '(no route)'} ${reply.statusCode}`;
    if (error) reply.log.error({ ...line, err: error }, message);
    else if (reply.statusCode === 503) reply.log.warn(line, message);
    else if (reply.statusCode >= 500) reply.log.error(line, message);
    else reply.log.info(line, message);
  }
}

/** Fastify's options that make it log through `logger`, as above. */
export const requestLoggingOptions = (logger: FastifyBaseLogger) => ({
  loggerInstance: logger,
  logController: new RequestLogController(),
  // Fastify would take any X-Request-Id as it is (requestIdHeader); requestIdOf checks it first.
  genReqId: requestIdOf,
});

/**
 * Every response carries its request id: set on the Node response, so that errors, 404s, replies
 * sent by other hooks and streams written directly (the live cards' event stream) have it too.
 * Add it before hooks that may answer a request themselves.
 */
export const echoRequestIds = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    done();
  });
};
