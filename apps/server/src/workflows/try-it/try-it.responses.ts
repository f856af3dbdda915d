import { ApiProperty } from '@nestjs/swagger';
import { CommandPositionDto } from '../../openapi/command-position.dto.js';
import { WebchatContactId } from '../../webchat/webchat.dto.js';

/** `POST /workflows/:id/try-it`. */
export class TryItChannelDto extends CommandPositionDto {
  @ApiProperty({
    format: 'uuid',
    example: '5d4c3b2a-1f0e-5d9c-8b7a-6f5e4d3c2b1a',
    description: 'The workflow’s preview web chat channel: derived from the workflow’s id, so always the same one',
  })
  channelId!: string;
}

/** `POST /workflows/:id/try-it/end`: whose preview conversation to end. */
export class EndTryItConversationDto {
  @WebchatContactId()
  contactId!: string;
}
