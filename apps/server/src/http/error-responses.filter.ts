import { STATUS_CODES } from 'node:http';
import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  type ExceptionFilter,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { DomainError, InvalidDefinitionError, WorkflowVersionConflictError, quotedInput } from '#domain';
import { ConcurrentModificationError } from '#engine';
import { AppendTooLargeError, InvalidPositionError } from '#eventstore';

interface RequestLike {
  raw: { method?: string; url?: string; originalUrl?: string };
  /** Fastify's logger of this request, which writes its request id on every line. */
  log: { error(fields: object, message: string): void };
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * Domain and storage errors become Nest's `{statusCode, message, error}` with the right 4xx. A
 * rejected flow definition adds `problems: [{path, stepId?, message}]`, for an editor to show each
 * one on its step; a stale `expectedVersion` adds `currentVersion`, for it to offer the newest.
 */
export const toHttpException = (error: unknown): HttpException => {
  if (error instanceof HttpException) return withErrorBody(error);
  if (error instanceof InvalidDefinitionError) return errorAnswer(400, error.message, { problems: error.problems });
  if (error instanceof WorkflowVersionConflictError) return errorAnswer(409, error.message, { currentVersion: error.actualVersion });
  if (error instanceof DomainError) {
    if (error.kind === 'not_found') return new NotFoundException(error.message);
    if (error.kind === 'conflict') return new ConflictException(error.message);
    return new BadRequestException(error.message);
  }
  if (error instanceof ConcurrentModificationError) return new ConflictException(error.message);
  if (error instanceof InvalidPositionError) return invalidPositionRefusal('consistentWith', error);
  // A body under the HTTP limit can still make events larger than the event store takes at once.
  if (error instanceof AppendTooLargeError) {
    return new PayloadTooLargeException(
      `The change is larger than the event store takes in one write (${error.maxAppendSizeBytes} bytes): send less at once`,
    );
  }
  // Fastify's own client errors (malformed JSON, body too large, bad content type) keep their 4xx.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return errorAnswer(statusCode, (error as Error).message);
  }
  return new InternalServerErrorException();
};

/**
 * A position the event store does not take, as the caller's error about `parameter`: the store's
 * own message repeats the whole token, which is the caller's input and may be as long as the URL.
 */
export const invalidPositionRefusal = (parameter: string, { position }: InvalidPositionError): BadRequestException =>
  new BadRequestException(`${parameter}: Not a position of this event store: ${JSON.stringify(quotedInput(position))}`);

/**
 * Nest hands Fastify's own refusals (a body over the limit, a content type that does not parse)
 * over as exceptions with a bare text: they get the same body as every other error.
 */
const withErrorBody = (exception: HttpException): HttpException => {
  const response = exception.getResponse();
  if (typeof response !== 'string') return exception;
  return errorAnswer(exception.getStatus(), response, {}, exception);
};

/** Nest's `{statusCode, message, error}` body, with what a refusal adds (`problems`, `currentVersion`). */
const errorAnswer = (statusCode: number, message: string, details: object = {}, cause?: unknown): HttpException =>
  new HttpException({ statusCode, message, error: STATUS_CODES[statusCode] ?? 'Client Error', ...details }, statusCode, { cause });

/**
 * Nest's answer to a path that no route takes repeats the whole URL: only the start of its path is
 * kept, and never its query, which may carry a secret (Meta's handshake sends `hub.verify_token`).
 */
const withUnknownRouteQuoted = (exception: HttpException, { raw = {} }: Partial<RequestLike>): HttpException => {
  const url = raw.originalUrl ?? raw.url ?? '';
  const { message } = exception.getResponse() as { message?: unknown };
  if (!(exception instanceof NotFoundException) || message !== `Cannot ${raw.method} ${url}`) return exception;
  const [path] = url.split('?', 1);
  return new NotFoundException(`Cannot ${raw.method} ${quotedInput(path)}`);
};

/** The `context` of the filter's log lines, named as Nest's Logger names the server's own. */
const LOG_CONTEXT = 'HTTP';

@Catch()
export class ErrorResponsesFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<RequestLike>();
    const exception = withUnknownRouteQuoted(toHttpException(error), request);
    // On the request's own logger, so that the error and the request's line share its request id.
    if (exception.getStatus() >= 500) request.log.error({ context: LOG_CONTEXT }, (error as Error)?.stack ?? String(error));
    // Errors are JSON even on a route that answers plain text when it succeeds.
    host
      .switchToHttp()
      .getResponse<ReplyLike>()
      .status(exception.getStatus())
      .header('content-type', 'application/json; charset=utf-8')
      .send(exception.getResponse());
  }
}
