import { ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE_PAGE_CURSOR } from './workflow.responses.js';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageSize } from '../../http/whole-number-query.decorator.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `?consistentWith=`: every query can wait for the projection to pass a command's position. */
export class ConsistentReadDto {
  @ApiPropertyOptional({
    example: '42',
    description:
      'A position returned by a command; waits (at most 5 s) until what it changed is visible. A position the log has not reached is refused (400)',
  })
  @IsOptional()
  @IsString({ message: 'consistentWith must be a string' })
  consistentWith?: string;
}

class PageSizeDto extends ConsistentReadDto {
  @PageSize(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
  limit?: number;
}

/** A newest-first list read a page at a time: `?limit=&cursor=`. */
class CursorPageDto extends PageSizeDto {
  @ApiPropertyOptional({
    example: EXAMPLE_PAGE_CURSOR,
    description: 'The `nextCursor` of the previous page; anything else is refused (400)',
  })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  cursor?: string;
}

export class ListWorkflowsDto extends CursorPageDto {}

export class ListSessionsDto extends CursorPageDto {
  @ApiPropertyOptional({ enum: ['active', 'ended'], example: 'active', description: 'Only the sessions in this status; all by default' })
  @IsIn(['active', 'ended'], { message: 'status must be active or ended' })
  @IsOptional()
  status?: 'active' | 'ended';
}
