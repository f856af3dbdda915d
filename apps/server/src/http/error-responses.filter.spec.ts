import { describe, expect, it } from '@jest/globals';
import { type ArgumentsHost, HttpException, NotFoundException } from '@nestjs/common';
import { AppendTooLargeError } from '#eventstore';
import { createServerLogger } from '../logging/server-logger.js';
import { ErrorResponsesFilter, toHttpException } from './error-responses.filter.js';

describe('toHttpException', () => {
  it("gives Fastify's refusals, which Nest hands over with a bare text, the {statusCode, message, error} body", () => {
    // What Nest makes of Fastify's FST_ERR_CTP_BODY_TOO_LARGE and FST_ERR_CTP_INVALID_MEDIA_TYPE.
    for (const [text, status, error] of [
      ['Request body is too large', 413, 'Payload Too Large'],
      ['Unsupported Media Type', 415, 'Unsupported Media Type'],
    ] as const) {
      const exception = toHttpException(new HttpException(text, status));
      expect(exception.getStatus()).toBe(status);
      expect(exception.getResponse()).toEqual({ statusCode: status, message: text, error });
    }
  });

  it('answers an append the event store refuses for its size with 413, naming the limit but not the stream', () => {
    const exception = toHttpException(new AppendTooLargeError('EventStoreDB', 'workflow-1', 3, 1_048_576, 'MaxAppendSize'));
    expect(exception.getStatus()).toBe(413);
    expect(exception.getResponse()).toEqual({
      statusCode: 413,
      message: 'The change is larger than the event store takes in one write (1048576 bytes): send less at once',
      error: 'Payload Too Large',
    });
  });

  it('leaves an exception that has its body as it is', () => {
    const notFound = new NotFoundException('Workflow 1 not found');
    expect(toHttpException(notFound)).toBe(notFound);
    expect(notFound.getResponse()).toEqual({ statusCode: 404, message: 'Workflow 1 not found', error: 'Not Found' });
  });
});

describe('ErrorResponsesFilter', () => {
  /** What the filter answers to `error` raised by a request for `url`. */
  const answerTo = (error: unknown, method: string, url: string) => {
    const sent: { status?: number; body?: unknown } = {};
    const reply = {
      status: (code: number) => ((sent.status = code), reply),
      header: () => reply,
      send: (body: unknown) => void (sent.body = body),
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ raw: { method, url } }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
    new ErrorResponsesFilter().catch(error, host);
    return sent;
  };

  it("keeps only the start of a long path in Nest's answer to a path no route takes", () => {
    const url = `/workflows/${'a/'.repeat(5000)}copy`;
    expect(answerTo(new NotFoundException(`Cannot POST ${url}`), 'POST', url)).toEqual({
      status: 404,
      body: { statusCode: 404, message: `Cannot POST ${url.slice(0, 63)}…`, error: 'Not Found' },
    });
    expect(answerTo(new NotFoundException('Cannot POST /nowhere'), 'POST', '/nowhere').body).toMatchObject({
      message: 'Cannot POST /nowhere',
    });
  });

  it("leaves the query out of Nest's answer to a path no route takes: it may carry a secret", () => {
    const url = '/nowhere?hub.verify_token=verify-secret&hub.challenge=1';
    expect(answerTo(new NotFoundException(`Cannot GET ${url}`), 'GET', url).body).toEqual({
      statusCode: 404,
      message: 'Cannot GET /nowhere',
      error: 'Not Found',
    });
  });

  it('leaves other 404s as they are', () => {
    const url = `/workflows/${'a'.repeat(100)}`;
    expect(answerTo(new NotFoundException('Workflow x not found'), 'GET', url).body).toMatchObject({ message: 'Workflow x not found' });
  });

  it("logs a 5xx on the request's own logger, with its request id, and a refusal not at all", async () => {
    const lines: string[] = [];
    const logger = await createServerLogger({ logLevel: 'log', logDestination: { write: (line: string) => lines.push(line) } });
    const answerWithLog = (error: unknown) => {
      const reply = { status: () => reply, header: () => reply, send: () => undefined };
      const request = { raw: { method: 'GET', url: '/workflows' }, log: logger.child({ requestId: 'request-7' }) };
      const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
      new ErrorResponsesFilter().catch(error, host);
    };
    answerWithLog(new NotFoundException('Workflow x not found'));
    answerWithLog(new Error('the projection broke'));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'error', requestId: 'request-7', context: 'HTTP' });
    expect(entries[0].msg).toMatch(/^Error: the projection broke\n\s+at /);
  });
});
