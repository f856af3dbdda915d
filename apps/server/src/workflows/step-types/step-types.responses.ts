import { ApiProperty } from '@nestjs/swagger';
import { type JsonSchema, STEP_TYPES, type StepType, type StepTypeCatalog, type StepTypeDescription } from '#domain';

/**
 * A JSON Schema is itself a document: its own schema is JSON Schema's meta-schema, not something
 * this API defines, so the document shows it as an object of keywords.
 */
const jsonSchema = (description: string) =>
  ({
    type: 'object',
    additionalProperties: true,
    description: `${description}: a JSON Schema in the OpenAPI 3.0 flavour (a fixed value as a one-value \`enum\`; step targets carry \`format: "step-id"\`)`,
  }) as const;

export class StepTypeDto implements StepTypeDescription {
  @ApiProperty({ enum: STEP_TYPES, example: 'send_message' })
  type!: StepType;

  @ApiProperty({ example: 'Send message' })
  title!: string;

  @ApiProperty({ example: 'Sends a message to the customer and goes on at once.' })
  description!: string;

  @ApiProperty({
    ...jsonSchema('The step object as a caller sends it'),
    example: {
      type: 'object',
      properties: { id: { type: 'string' }, type: { type: 'string', enum: ['send_message'] }, text: { type: 'string' } },
      required: ['id', 'type', 'text'],
      additionalProperties: false,
    },
  })
  schema!: JsonSchema;
}

/** `GET /step-types`. */
export class StepTypeCatalogDto implements StepTypeCatalog {
  @ApiProperty({ type: [StepTypeDto], description: 'Every step type, always in the same order' })
  items!: StepTypeDto[];

  @ApiProperty(jsonSchema('The workflow settings object'))
  settings!: JsonSchema;
}
