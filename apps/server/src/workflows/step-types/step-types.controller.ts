import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { stepTypeCatalog } from '#domain';
import { ApiErrors } from '../../openapi/api-errors.decorator.js';
import { ConsistencyService } from '../../infrastructure/consistency.service.js';
import { ConsistentReadDto } from '../dto/workflow-queries.dto.js';
import { StepTypeCatalogDto } from './step-types.responses.js';

/**
 * The step types and their JSON Schemas, generated from the schemas a published definition is
 * validated with: the console builds its step forms from them. Any signed-in role may read them.
 */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('step-types')
export class StepTypesController {
  constructor(private readonly consistency: ConsistencyService) {}

  @Get()
  @ApiOperation({
    operationId: 'listStepTypes',
    summary: 'List the step types a flow is made of, each with the JSON Schema of its step object',
    description:
      'Generated from the schema `PUT /workflows/:id/definition` validates with (the same schemas make up `steps` in ' +
      '`PublishDefinitionDto`). Rules that span fields or steps (options only for a choice question, targets that name a step, ' +
      'loops that never wait) are checked on publish.',
  })
  @ApiOkResponse({ type: StepTypeCatalogDto, description: 'The step types, and the JSON Schema of the settings' })
  @ApiErrors(400, 401, 429)
  async list(@Query() query: ConsistentReadDto): Promise<StepTypeCatalogDto> {
    // The catalog follows no projection; the position is checked as every query checks it.
    await this.consistency.waitFor(query.consistentWith, []);
    return stepTypeCatalog();
  }
}
