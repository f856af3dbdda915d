import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, OmitType, PickType, getSchemaPath } from '@nestjs/swagger';
import {
  type ActiveWorkflow,
  type DeletedWorkflow,
  type StepDefinition,
  type WorkflowSettings,
  stepJsonSchema,
  stepTypeCatalog,
} from '#domain';
import type { Actor, EventMetadata } from '#eventstore';
import type { AuditEventView, AuditPage } from '#platform';
import { EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';

const POSITION_DESCRIPTION = 'Where the event is in the whole log: an opaque token of the event store, ordered as the log is';

export class EventActorDto implements Actor {
  @ApiProperty({ example: 'admin', description: 'The token’s subject, `session-engine`, or `<channel type>:<channel id>`' })
  sub!: string;

  @ApiProperty({
    example: 'admin',
    description: '`admin` for a user, `system` for the session engine, `channel` for what a channel received',
  })
  role!: string;
}

/** `@ApiSchema` spreads its options into the schema: fields of other stores and versions are declared as kept. */
const OPEN_SCHEMA = {
  description: 'What every event records besides its data; other fields may follow (the event store keeps any)',
  additionalProperties: true,
};

@ApiSchema(OPEN_SCHEMA)
export class EventMetadataDto implements EventMetadata {
  [key: string]: unknown;

  @ApiProperty({ description: 'The request (its X-Request-Id) or delivery the event came from; shared by everything it caused' })
  correlationId!: string;

  @ApiProperty({ description: 'The request, delivery or event (its `id`) that caused this one' })
  causationId!: string;

  @ApiProperty({ type: EventActorDto })
  actor!: EventActorDto;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z', description: 'When what the event records happened' })
  occurredAt!: string;

  @ApiProperty({ example: 'acme', description: 'The tenant the event belongs to: always the caller’s' })
  workspace!: string;

  @ApiPropertyOptional({ description: 'SHA-256 (hex) over the previous event’s hash and this event' })
  hash?: string;

  @ApiPropertyOptional({ description: 'The hash of the stream’s event before this one; empty for the first' })
  previousHash?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 2, description: 'The shape the data was upcast to; absent for the stored shape' })
  schemaVersion?: number;
}

/** One event of the log, straight from the event store. */
export class AuditEventDto implements AuditEventView {
  @ApiProperty({ format: 'uuid', description: 'What other events name as their `metadata.causationId`' })
  id!: string;

  @ApiProperty({ example: '1041', description: POSITION_DESCRIPTION })
  position!: string;

  @ApiProperty({ example: `workflow-${EXAMPLE_WORKFLOW_ID}`, description: 'The stream the event belongs to, e.g. workflow-<id>' })
  stream!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'The event’s place in its stream, from 0' })
  revision!: number;

  @ApiProperty({ example: 'WorkflowCreated', description: 'What happened, a past-tense fact' })
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event’s data, as its type defines it',
    example: { workflowId: EXAMPLE_WORKFLOW_ID, workspace: 'acme', name: 'Welcome', version: 1 },
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataDto })
  metadata!: EventMetadataDto;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z', description: 'When the store recorded it' })
  recordedAt!: string;
}

export class AuditPageDto implements AuditPage {
  @ApiProperty({ type: [AuditEventDto], description: 'The matching events, in log order' })
  items!: AuditEventDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '1042',
    description: 'Where the next page starts: pass it as `after`; null once the end of the log is reached',
  })
  next!: string | null;
}

/** One event of a workflow's stream, with what it changed in words. */
export class WorkflowHistoryEntryDto extends OmitType(AuditEventDto, ['stream'] as const) {
  @ApiProperty({
    example: 'Created "Welcome"',
    description: 'What the event changed, in words; the type itself for a type this server does not know',
  })
  summary!: string;
}

export class WorkflowHistoryDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  workflowId!: string;

  @ApiProperty({ type: [WorkflowHistoryEntryDto], description: 'Every event of the workflow in order, deletion included' })
  items!: WorkflowHistoryEntryDto[];
}

/** The event after which the state is shown: the newest one of that version, or the last one by that time. */
export class WorkflowStateAsOfDto extends PickType(AuditEventDto, ['revision', 'position', 'recordedAt'] as const) {}

/** What a workflow's state shows whether it is active or deleted. */
abstract class WorkflowStateIdentityDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  workflowId!: string;

  @ApiProperty({ example: 'acme' })
  workspace!: string;

  @ApiProperty({ example: 'Welcome' })
  name!: string;
}

export class ActiveWorkflowStateDto extends WorkflowStateIdentityDto implements ActiveWorkflow {
  @ApiProperty({ enum: ['active'] })
  status!: 'active';

  @ApiProperty({ type: 'integer', minimum: 1, example: 2, description: 'Its version then: 1 when created, one more at each publish' })
  version!: number;

  @ApiProperty({ type: 'array', items: stepJsonSchema(), description: 'Its published steps then; none before the first publish' })
  steps!: StepDefinition[];

  @ApiProperty(stepTypeCatalog().settings)
  settings!: WorkflowSettings;
}

/** A deleted workflow keeps its name and version for auditors; its steps are gone with it. */
export class DeletedWorkflowStateDto extends WorkflowStateIdentityDto implements DeletedWorkflow {
  @ApiProperty({ enum: ['deleted'] })
  status!: 'deleted';

  @ApiProperty({ type: 'integer', minimum: 1, example: 2, description: 'Its version when it was deleted' })
  version!: number;
}

@ApiExtraModels(ActiveWorkflowStateDto, DeletedWorkflowStateDto)
export class WorkflowStateDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  workflowId!: string;

  @ApiProperty({ type: WorkflowStateAsOfDto })
  asOf!: WorkflowStateAsOfDto;

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(ActiveWorkflowStateDto) }, { $ref: getSchemaPath(DeletedWorkflowStateDto) }],
    discriminator: {
      propertyName: 'status',
      mapping: { active: getSchemaPath(ActiveWorkflowStateDto), deleted: getSchemaPath(DeletedWorkflowStateDto) },
    },
    description: 'The workflow as it was then, folded from its events up to `asOf`',
  })
  state!: ActiveWorkflowStateDto | DeletedWorkflowStateDto;
}
