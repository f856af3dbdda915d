import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { STEP_TYPES, stepTypeCatalog, type StepTypeCatalog } from '#domain';

/**
 * The step types and their JSON Schemas, generated from the schemas a published definition is
 * validated with: the console builds its step forms from them. Any signed-in role may read them.
 */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('step-types')
export class StepTypesController {
  @Get()
  @ApiOperation({
    summary: 'The step types a flow is made of, each with the JSON Schema of its step object',
    description:
      'Generated from the schema `PUT /workflows/:id/definition` validates with. Rules that span fields or steps ' +
      '(options only for a choice question, targets that name a step, loops that never wait) are checked on publish.',
  })
  @ApiOkResponse({
    description: '`items` in a fixed order, and the JSON Schema of `settings`',
    schema: {
      type: 'object',
      required: ['items', 'settings'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'title', 'description', 'schema'],
            properties: {
              type: { type: 'string', enum: [...STEP_TYPES] },
              title: { type: 'string', example: 'Send message' },
              description: { type: 'string' },
              schema: { type: 'object', description: 'JSON Schema of the step object (OpenAPI 3.0 flavour)' },
            },
          },
        },
        settings: { type: 'object', description: 'JSON Schema of the workflow settings' },
      },
    },
  })
  list(): StepTypeCatalog {
    return stepTypeCatalog();
  }
}
