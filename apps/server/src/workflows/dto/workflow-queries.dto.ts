import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `?consistentWith=`: every query can wait for the projection to pass a command's position. */
export class ConsistentReadDto {
  @ApiPropertyOptional({ description: 'A position returned by a command; waits (at most 5 s) until it is visible' })
  @IsOptional()
  @IsString({ message: 'consistentWith must be a string' })
  consistentWith?: string;
}

class PageSizeDto extends ConsistentReadDto {
  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, minimum: 1, maximum: MAX_PAGE_SIZE })
  @Max(MAX_PAGE_SIZE, { message: `limit must be at most ${MAX_PAGE_SIZE}` })
  @Min(1, { message: 'limit must be at least 1' })
  @IsInt({ message: 'limit must be a whole number' })
  // Plain decimal digits only: Number() would also take "0x10", "1e3" or " 7 ".
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsOptional()
  limit?: number;
}

export class ListWorkflowsDto extends PageSizeDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  cursor?: string;
}

export class ListSessionsDto extends PageSizeDto {
  @ApiPropertyOptional({ enum: ['active', 'ended'] })
  @IsIn(['active', 'ended'], { message: 'status must be active or ended' })
  @IsOptional()
  status?: 'active' | 'ended';
}
