import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WorkflowCommandResult } from '#api-commands';
import { MAX_WORKFLOW_NAME_LENGTH, type StepDefinition, type WorkflowSettings, stepJsonSchema, stepTypeCatalog } from '#domain';
import { CommandPositionDto } from '../../openapi/command-position.dto.js';

export const EXAMPLE_WORKFLOW_ID = '3f0c8a52-5d1e-4c43-9b7e-2a6f0d9c1e47';
/** What a page gives as `nextCursor`: here, the last card's `createdAt` and id. */
export const EXAMPLE_PAGE_CURSOR = 'WyIyMDI2LTAxLTAxVDEyOjAwOjAwLjAwMFoiLCIzZjBjOGE1Mi01ZDFlLTRjNDMtOWI3ZS0yYTZmMGQ5YzFlNDciXQ';
const EXAMPLE_TIME = '2026-01-01T12:00:00.000Z';
const VERSION = { type: 'integer', minimum: 1, example: 3 } as const;

/** Where the definition comes from: the same schemas `PUT /workflows/:id/definition` validates with. */
const STEPS = { type: 'array', items: stepJsonSchema(), description: 'The flow’s steps; the first one starts every session' } as const;
const SETTINGS = stepTypeCatalog().settings;

/** What creating, renaming and copying a workflow answer: the workflow as it now stands. */
export class WorkflowCommandResultDto extends CommandPositionDto implements WorkflowCommandResult {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  id!: string;

  @ApiProperty({ example: 'Welcome flow', maxLength: MAX_WORKFLOW_NAME_LENGTH })
  name!: string;

  @ApiProperty({ ...VERSION, description: 'The current version: 1 for a new workflow or a copy' })
  version!: number;
}

/** What publishing a definition answers. */
export class PublishedVersionDto extends CommandPositionDto {
  @ApiProperty({ ...VERSION, description: 'The version just published: one more than the one before' })
  version!: number;
}

/** A workflow as its card on the workflows page shows it. */
export class WorkflowCardDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  id!: string;

  @ApiProperty({ example: 'Welcome flow', maxLength: MAX_WORKFLOW_NAME_LENGTH })
  name!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 2, description: 'How many of its sessions are running now' })
  activeSessions!: number;

  @ApiProperty({ ...VERSION, description: 'The current version, which new sessions run' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME, description: 'When its card last changed' })
  updatedAt!: string;
}

/** `GET /workflows`. */
export class WorkflowPageDto {
  @ApiProperty({ type: [WorkflowCardDto], description: 'Newest first' })
  items!: WorkflowCardDto[];

  @ApiPropertyOptional({
    example: EXAMPLE_PAGE_CURSOR,
    description: 'Pass as `cursor` for the next page; absent on the last',
  })
  nextCursor?: string;
}

/** A workflow with its current definition. */
export class WorkflowDetailsDto extends WorkflowCardDto {
  @ApiProperty(STEPS)
  steps!: StepDefinition[];

  @ApiProperty(SETTINGS)
  settings!: WorkflowSettings;
}

/** One published version of a workflow's definition, kept for as long as the workflow. */
export class WorkflowVersionDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID, description: 'The workflow' })
  id!: string;

  @ApiProperty(VERSION)
  version!: number;

  @ApiProperty(STEPS)
  steps!: StepDefinition[];

  @ApiProperty(SETTINGS)
  settings!: WorkflowSettings;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME, description: 'When this version was published (or the workflow created)' })
  publishedAt!: string;
}
