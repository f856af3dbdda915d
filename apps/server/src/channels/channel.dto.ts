import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject, IsString, Matches } from 'class-validator';
import { OptionalField } from '../http/optional-field.decorator.js';
import { channelRegistry } from '#channels';
import type { ChannelType } from '#domain';
import { DisplayNameDto } from '../http/display-name.dto.js';
import { UUID_PATTERN } from '../http/resource-id.pipe.js';
import { EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';

/** The body as validated; the document describes it per channel type instead (channel-config.schemas.ts). */
export class CreateChannelDto extends DisplayNameDto {
  // Checked against the channel registry the server runs with, together with `config`.
  @IsString({ message: `type must be one of ${channelRegistry.types.join(', ')}` })
  type!: ChannelType;

  // Handed to the per-type check untouched, so unknown settings are named rather than dropped.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.config)
  @IsObject({ message: 'config must be an object' })
  @OptionalField()
  config?: Record<string, unknown>;
}

export class AssignWorkflowDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID, description: 'A workflow of the caller’s workspace' })
  @Matches(UUID_PATTERN, { message: 'workflowId must be a workflow id (a UUID)' })
  @IsString({ message: 'workflowId must be a string' })
  workflowId!: string;
}
