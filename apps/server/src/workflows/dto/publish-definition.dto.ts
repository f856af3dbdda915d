import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsObject, IsOptional, Min } from 'class-validator';

/** The shape only; every step is checked in depth by the domain's step schema. */
export class PublishDefinitionDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}!' },
      { id: 'ask_email', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
      { id: 'handoff', type: 'route_to_team', team: 'support' },
    ],
  })
  @IsArray({ message: 'steps must be an array' })
  @IsObject({ each: true, message: 'steps must contain only objects' })
  steps!: unknown[];

  @ApiPropertyOptional({
    type: 'object',
    properties: { sessionTimeoutSeconds: { type: 'integer', minimum: 1, example: 86400 } },
  })
  @IsOptional()
  @IsObject({ message: 'settings must be an object' })
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Publish only if this is still the current version (else 409)' })
  @IsOptional()
  @IsInt({ message: 'expectedVersion must be a whole number' })
  @Min(1, { message: 'expectedVersion must be at least 1' })
  expectedVersion?: number;
}
