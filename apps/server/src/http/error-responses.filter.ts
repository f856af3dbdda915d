import { STATUS_CODES } from 'node:http';
import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  type ExceptionFilter,
  HttpException,
  InternalServerErrorException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { DomainError, InvalidDefinitionError } from '#domain';
import { ConcurrentModificationError } from '#engine';
import { InvalidPositionError } from '#eventstore';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * Domain and storage errors become Nest's `{statusCode, message, error}` with the right 4xx. A
 * rejected flow definition adds `problems: [{path, stepId?, message}]`, for an editor to show each
 * one on its step.
 */
export const toHttpException = (error: unknown): HttpException => {
  if (error instanceof HttpException) return error;
  if (error instanceof InvalidDefinitionError) {
    return new BadRequestException({
      statusCode: 400,
      message: error.message,
      error: STATUS_CODES[400],
      problems: error.problems,
    });
  }
  if (error instanceof DomainError) {
    if (error.kind === 'not_found') return new NotFoundException(error.message);
    if (error.kind === 'conflict') return new ConflictException(error.message);
    return new BadRequestException(error.message);
  }
  if (error instanceof ConcurrentModificationError) return new ConflictException(error.message);
  if (error instanceof InvalidPositionError) return new BadRequestException(`consistentWith: ${error.message}`);
  // Fastify's own client errors (malformed JSON, body too large, bad content type) keep their 4xx.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new HttpException(
      { statusCode, message: (error as Error).message, error: STATUS_CODES[statusCode] ?? 'Client Error' },
      statusCode,
    );
  }
  return new InternalServerErrorException();
};

@Catch()
export class ErrorResponsesFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const exception = toHttpException(error);
    if (exception.getStatus() >= 500) this.logger.error((error as Error)?.stack ?? String(error));
    // Errors are JSON even on a route that answers plain text when it succeeds.
    host
      .switchToHttp()
      .getResponse<ReplyLike>()
      .status(exception.getStatus())
      .header('content-type', 'application/json; charset=utf-8')
      .send(exception.getResponse());
  }
}
