import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** What each refusal says; Fastify's own texts repeat the whole path. */
const MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid: its path has a percent-encoding that does not decode',
  FST_ERR_MAX_PARAM_LENGTH: 'The URL is not valid: a part of its path is longer than any id',
};

/**
 * Fastify's router refuses some requests before any hook or Nest sees them: a path that does not
 * decode (400), a path parameter over the router's length limit (414). Given as Fastify's
 * `frameworkErrors`, this answers them with the body every other error has, without the path.
 */
export const answerRouterRefusal = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
  const statusCode = error.statusCode ?? 500;
  const message = MESSAGES[error.code] ?? STATUS_CODES[statusCode] ?? 'Error';
  // No hook runs for these: the headers every API answer has (security-headers.ts) are set here.
  void reply
    .code(statusCode)
    .headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .type('application/json; charset=utf-8')
    .send({ statusCode, message, error: STATUS_CODES[statusCode] ?? 'Error' });
};
