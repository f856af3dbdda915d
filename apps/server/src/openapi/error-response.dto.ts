import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One problem of a rejected flow definition, as the editor shows it on its step and field. */
export class DefinitionProblemDto {
  @ApiProperty({ example: 'steps[1].variable', description: 'Where the problem is, from the body’s root' })
  path!: string;

  @ApiPropertyOptional({ example: 'ask', description: 'The step it belongs to, when it belongs to one' })
  stepId?: string;

  @ApiProperty({ example: 'is required' })
  message!: string;
}

/** Every error answer: Nest's shape, plus `problems` for a rejected definition and `currentVersion` for a stale one. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400, minimum: 400, maximum: 599 })
  statusCode!: number;

  @ApiProperty({
    description: 'What is wrong; a request that fails validation lists the first problem of each field',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['name must not be empty'],
  })
  message!: string | string[];

  @ApiProperty({ example: 'Bad Request', description: 'The status code’s reason phrase' })
  error!: string;

  @ApiPropertyOptional({ type: [DefinitionProblemDto], description: 'Every problem of a rejected flow definition' })
  problems?: DefinitionProblemDto[];

  @ApiPropertyOptional({
    example: 3,
    minimum: 1,
    description: 'A 409 for a stale `expectedVersion`: the workflow’s version now, the one to reload',
  })
  currentVersion?: number;
}
