import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** The error statuses the API answers with, and what each means wherever it is declared. */
const ERROR_DESCRIPTIONS = {
  400: 'The request is invalid: the message names the field',
  401: 'No valid credentials: a missing, expired or refused token (or channel secret)',
  403: 'The token’s role may not do this (auditors read, admins change)',
  404: 'Unknown, deleted, or another workspace’s',
  409: 'A concurrent change: the expected version is stale',
  413: 'The body is larger than 1 MiB',
  414: 'A part of the path is longer than any id (the router refuses it)',
  415: 'The body is not JSON in UTF-8',
  429: 'A rate limit is reached: retry after `Retry-After` seconds',
  431: 'The URL and headers are larger than the server reads (16 KiB)',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The statuses any request with a JSON body can get, whatever the route does with it. */
export const BODY_ERRORS: readonly ErrorStatus[] = [400, 413, 415];

/** The statuses any request to a route with path parameters can get before routing: a path that does not decode, or one too long. */
export const PATH_ERRORS: readonly ErrorStatus[] = [400, 414];

/** What any request can get before it reaches a route: Node's HTTP parser refuses a head over its limit. */
const REQUEST_ERRORS: readonly ErrorStatus[] = [431];

/**
 * Declares the error answers an operation can give, each with the error body's schema (429 with
 * its `Retry-After` header). Every operation declares its own list, what can happen there, and
 * gets the REQUEST_ERRORS every request can get.
 */
export const ApiErrors = (...statuses: ErrorStatus[]) =>
  applyDecorators(
    ...[...new Set([...statuses, ...REQUEST_ERRORS])].map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        type: ErrorResponseDto,
        ...(status === 429
          ? { headers: { 'Retry-After': { description: 'Seconds until the limit’s window reopens', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
