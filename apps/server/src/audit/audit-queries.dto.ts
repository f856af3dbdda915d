import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AuditOrder } from '#platform';
import { DateTimeWithZone } from '../http/date-time-with-zone.decorator.js';
import { PageSize, decimalDigitsToNumber } from '../http/whole-number-query.decorator.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';

export const DEFAULT_AUDIT_PAGE_SIZE = 100;
export const MAX_AUDIT_PAGE_SIZE = 1000;
export const MAX_FILTER_LENGTH = 200;
/** Generous for any adapter's token (EventStoreDB's commit and prepare positions included). */
const MAX_POSITION_LENGTH = 200;

/** `?stream=&type=`; class-validator runs the decorators bottom-up: read them from the last one upwards. */
export class AuditFilterDto extends ConsistentReadDto {
  @ApiPropertyOptional({
    description: 'Only the events of this stream, e.g. workflow-<id>',
    minLength: 1,
    maxLength: MAX_FILTER_LENGTH,
    example: 'workflow-3f0c8a52-5d1e-4c43-9b7e-2a6f0d9c1e47',
  })
  @MaxLength(MAX_FILTER_LENGTH, { message: `stream must be at most ${MAX_FILTER_LENGTH} characters` })
  @IsNotEmpty({ message: 'stream must not be empty' })
  @IsString({ message: 'stream must be a string' })
  @IsOptional()
  stream?: string;

  @ApiPropertyOptional({
    description: 'Only the events of this type',
    minLength: 1,
    maxLength: MAX_FILTER_LENGTH,
    example: 'WorkflowRenamed',
  })
  @MaxLength(MAX_FILTER_LENGTH, { message: `type must be at most ${MAX_FILTER_LENGTH} characters` })
  @IsNotEmpty({ message: 'type must not be empty' })
  @IsString({ message: 'type must be a string' })
  @IsOptional()
  type?: string;
}

export const AUDIT_ORDERS: readonly AuditOrder[] = ['oldest', 'newest'];

/** A page cursor: the `next` of the previous page, at most the length of any adapter's position. */
const PagePosition = (name: 'after' | 'before', description: string, absent: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, minLength: 1, maxLength: MAX_POSITION_LENGTH, example: '1042' }),
    MaxLength(MAX_POSITION_LENGTH, { message: `${name} must be a position returned as next by this endpoint` }),
    IsNotEmpty({ message: `${name} must not be empty: leave it out to start at ${absent}` }),
    IsString({ message: `${name} must be a string` }),
    IsOptional(),
  );

export class AuditEventsQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({
    enum: AUDIT_ORDERS,
    default: 'oldest',
    example: 'newest',
    description:
      '`oldest`: from the start of the log on, each page continuing `after` the previous one’s `next`; ' +
      '`newest`: from the newest event back, each page continuing `before` it',
  })
  @IsIn(AUDIT_ORDERS, { message: `order must be one of: ${AUDIT_ORDERS.join(', ')}` })
  @IsOptional()
  order?: AuditOrder;

  @PagePosition('after', 'Oldest first: the `next` of the previous page; from the start of the log when absent', 'the beginning of the log')
  after?: string;

  @PagePosition(
    'before',
    'Newest first (`order=newest`): the `next` of the previous page; from the newest event when absent',
    'the newest event',
  )
  before?: string;

  @PageSize(
    DEFAULT_AUDIT_PAGE_SIZE,
    MAX_AUDIT_PAGE_SIZE,
    'At most this many events in the page; a page may hold fewer and still have a `next`',
  )
  limit?: number;
}

/** `?version=N` or `?at=<ISO time>`; that exactly one is given is checked by the controller. */
export class WorkflowStateQueryDto extends ConsistentReadDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    example: 2,
    description: 'The workflow while this version was its newest (not with `at`)',
  })
  // Past the safe integers a number no longer says which version: 2^53 + 1 would read as 2^53.
  @Max(Number.MAX_SAFE_INTEGER, { message: `version must be at most ${Number.MAX_SAFE_INTEGER}` })
  @Min(1, { message: 'version must be a positive whole number' })
  @IsInt({ message: 'version must be a positive whole number' })
  @Transform(decimalDigitsToNumber)
  @IsOptional()
  version?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-01T12:00:00Z',
    description: 'The workflow as it was at this time, with a zone (not with `version`)',
  })
  @DateTimeWithZone('at')
  @IsOptional()
  at?: string;
}
