import { ApiProperty } from '@nestjs/swagger';

/** Every command answers where its events are in the log, for a later query to wait for. */
export class CommandPositionDto {
  @ApiProperty({
    example: '42',
    description: 'Where the command’s events are in the log: an opaque token; pass it as `consistentWith` to read what it changed',
  })
  position!: string;
}
