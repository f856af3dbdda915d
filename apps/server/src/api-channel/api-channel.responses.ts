import { ApiProperty } from '@nestjs/swagger';
import type { ApiChannelCallback } from '#channels';
import { EXAMPLE_SESSION_ID, MessageChoiceDto } from '../sessions/session.responses.js';
import { EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';

/** The id of a message the bot sent: its session's, and its place in it. */
export const exampleOutboxMessageId = (n: number): string => `${EXAMPLE_SESSION_ID}:m:${n}`;
const EXAMPLE_MESSAGE_ID = exampleOutboxMessageId(2);

/** A message the bot sent on the channel: what a callback receives, and an outbox item with `sentAt`. */
export class ApiOutboxMessageDto implements ApiChannelCallback {
  @ApiProperty({
    example: EXAMPLE_MESSAGE_ID,
    description: 'The message’s id, the same on every attempt: take each one once; receipts and acknowledgements name it',
  })
  messageId!: string;

  @ApiProperty({ example: 'sms:+4915112345678', description: 'The customer, as the adapter named them inbound' })
  contactId!: string;

  @ApiProperty({ example: 'What can we do for you?' })
  text!: string;

  @ApiProperty({
    type: [MessageChoiceDto],
    description: 'The options of a question that offers them (answer with one `value` as `choice`); empty otherwise',
  })
  choices!: MessageChoiceDto[];

  @ApiProperty({ format: 'uuid', example: EXAMPLE_SESSION_ID })
  sessionId!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  workflowId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z', description: 'When the bot sent it' })
  sentAt!: string;
}

/** `GET /channels/:channelId/api/outbox`. */
export class ApiOutboxPageDto {
  @ApiProperty({ type: [ApiOutboxMessageDto], description: 'Not acknowledged yet, in the order they were sent' })
  items!: ApiOutboxMessageDto[];

  @ApiProperty({
    example: '000000000002',
    description: 'Pass as `after` for the messages that follow (the same cursor again while there are none yet)',
  })
  next!: string;
}

/** `POST /channels/:channelId/api/outbox/ack`. */
export class ApiOutboxAcknowledgementDto {
  @ApiProperty({ type: [String], example: [EXAMPLE_MESSAGE_ID], description: 'Recorded delivered: they have left the outbox' })
  acknowledged!: string[];

  @ApiProperty({
    type: [String],
    example: [],
    description: 'Not (or no longer) in this channel’s outbox: acknowledging twice is harmless',
  })
  unknown!: string[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '42',
    description: 'Where the records are in the log, for `consistentWith`; null when nothing was recorded',
  })
  position!: string | null;
}
