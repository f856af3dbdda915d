import { ApiProperty } from '@nestjs/swagger';
import { channelRegistry } from '#channels';
import { MAX_WORKFLOW_NAME_LENGTH } from '#domain';
import { CommandPositionDto } from '../openapi/command-position.dto.js';
import { EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';

export const EXAMPLE_CHANNEL_ID = '6a1e0f4b-2c3d-4e5f-8a9b-0c1d2e3f4a5b';

/** What creating a channel answers: its id, and never its config. */
export class ChannelCreatedDto extends CommandPositionDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'The new channel' })
  id!: string;
}

/** A channel as the channels page lists it: its settings and secrets are not shown. */
export class ChannelDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_CHANNEL_ID })
  id!: string;

  // Not an enum: a channel keeps the type it was created with, and a client must not fail on a type added later.
  @ApiProperty({ example: 'webchat', description: `The channel type, as it was created: ${channelRegistry.types.join(', ')}` })
  type!: string;

  @ApiProperty({ example: 'Site chat', maxLength: MAX_WORKFLOW_NAME_LENGTH })
  name!: string;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: EXAMPLE_WORKFLOW_ID,
    description: 'The workflow that answers its customers; null when none is assigned (messages are recorded, nobody answers)',
  })
  workflowId!: string | null;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: null,
    description:
      'The workflow whose Try it preview this channel is (the editor made it); it runs that workflow only, so it cannot be ' +
      'assigned another one or unassigned (409). Null for every other channel',
  })
  previewOf!: string | null;
}

/** `GET /channels`: a workspace has few channels, one page holds them all. */
export class ChannelListDto {
  @ApiProperty({ type: [ChannelDto], description: 'Newest first' })
  items!: ChannelDto[];
}
