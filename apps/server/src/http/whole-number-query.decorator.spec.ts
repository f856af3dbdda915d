import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { ApiOutboxQueryDto, MAX_OUTBOX_PAGE } from '../api-channel/api-channel.dto.js';
import { AuditEventsQueryDto, MAX_AUDIT_PAGE_SIZE } from '../audit/audit-queries.dto.js';
import { MAX_TRANSCRIPT_PAGE, TranscriptQueryDto } from '../webchat/webchat.dto.js';
import { ListSessionsDto, ListWorkflowsDto, MAX_PAGE_SIZE } from '../workflows/dto/workflow-queries.dto.js';
import { RequestValidationPipe } from './request-validation.pipe.js';

/** What the server answers `query` with, validated with the options it validates every request with. */
const outcome = async (metatype: new () => object, query: Record<string, unknown>): Promise<unknown> => {
  const pipe = new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
  });
  try {
    return await pipe.transform(query, { type: 'query', metatype });
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: unknown }).message;
    throw error;
  }
};

// Every list that takes `?limit=`, with its largest page.
describe.each([
  ['GET /workflows', ListWorkflowsDto, MAX_PAGE_SIZE],
  ['GET /workflows/:id/sessions', ListSessionsDto, MAX_PAGE_SIZE],
  ['GET /audit/events', AuditEventsQueryDto, MAX_AUDIT_PAGE_SIZE],
  ['GET /webchat/…/messages', TranscriptQueryDto, MAX_TRANSCRIPT_PAGE],
  ['GET /channels/:id/api/outbox', ApiOutboxQueryDto, MAX_OUTBOX_PAGE],
])('?limit= of %s', (_list, dto, max) => {
  it.each([
    ['-1', 'limit must be at least 1'],
    ['0', 'limit must be at least 1'],
    ['-0', 'limit must be at least 1'],
    [`-${'9'.repeat(20)}`, 'limit must be at least 1'],
    [String(max + 1), `limit must be at most ${max}`],
    ['abc', 'limit must be a whole number'],
    ['1.5', 'limit must be a whole number'],
    ['', 'limit must be a whole number'],
    ['0x10', 'limit must be a whole number'],
    ['+5', 'limit must be a whole number'],
    ['--1', 'limit must be a whole number'],
    [['10', '20'], 'limit must be given once'],
  ])('refuses %j saying what is wrong with it', async (limit, message) => {
    expect(await outcome(dto, { limit })).toEqual([message]);
  });

  it('takes 1 and the largest page as numbers', async () => {
    expect(await outcome(dto, { limit: '1' })).toMatchObject({ limit: 1 });
    expect(await outcome(dto, { limit: String(max) })).toMatchObject({ limit: max });
  });
});
