import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsObject, Max, Min } from 'class-validator';
import { OptionalField } from '../../http/optional-field.decorator.js';
import { Transform } from 'class-transformer';
import { DEFINITION_LIMITS, stepJsonSchema, stepTypeCatalog } from '#domain';

const MAX_VERSION = 2 ** 31 - 1;

/**
 * The shape only; every step is checked in depth by the domain's step schema, which the OpenAPI
 * document shows as it is (generated from the same zod schemas as `GET /step-types`).
 */
export class PublishDefinitionDto {
  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: DEFINITION_LIMITS.maxSteps,
    items: stepJsonSchema(),
    description:
      'The flow’s steps; the first one starts every session. Every problem found (a field, a step naming an unknown target, a loop ' +
      'that never waits) is refused together: 400 with `problems`',
    example: [
      { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}!' },
      { id: 'ask_email', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
      { id: 'handoff', type: 'route_to_team', team: 'support' },
    ],
  })
  // Handed to the domain untouched: the step schema checks every field, unknown ones included.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.steps)
  @IsObject({ each: true, message: 'steps must contain only objects' })
  @IsArray({ message: 'steps must be an array' })
  steps!: unknown[];

  @ApiPropertyOptional({
    ...stepTypeCatalog().settings,
    description: 'Absent is `{}`: every setting at its default',
    example: { sessionTimeoutSeconds: 3600 },
  })
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.settings)
  @IsObject({ message: 'settings must be an object' })
  @OptionalField()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VERSION,
    example: 3,
    description: 'Publish only if this is still the current version (else 409); absent publishes over whatever is current',
  })
  @Max(MAX_VERSION, { message: `expectedVersion must be at most ${MAX_VERSION}` })
  @Min(1, { message: 'expectedVersion must be at least 1' })
  @IsInt({ message: 'expectedVersion must be a whole number' })
  // Absent means "publish whatever the current version is"; null is a mistake, not absence.
  @OptionalField()
  expectedVersion?: number;
}
