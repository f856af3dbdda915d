import { ApiProperty } from '@nestjs/swagger';
import { CommandPositionDto } from '../openapi/command-position.dto.js';
import { TranscriptMessageDto } from '../sessions/session.responses.js';

/** What a channel answers once a customer's message is durably recorded (web chat, the API channel). */
export class AcceptedMessageDto extends CommandPositionDto {
  @ApiProperty({
    format: 'uuid',
    example: '0b6f3c2e-8d4a-4f1b-9e7c-5a2d1c3b4e6f',
    description: 'The service’s id of the message: in the transcript, and what `waitFor` waits after',
  })
  messageId!: string;
}

/** A page of a web chat conversation, oldest message first. */
export class WebchatTranscriptPageDto {
  @ApiProperty({ type: [TranscriptMessageDto], description: 'Oldest first: the visitor’s messages and the replies' })
  items!: TranscriptMessageDto[];

  @ApiProperty({
    example: '000000000003',
    description: 'Pass as `after` for the messages that follow (the same cursor again while there are none yet)',
  })
  next!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '000000000002',
    description: 'Pass as `before` for the page before this one; null when this page reaches the start',
  })
  previous!: string | null;
}
