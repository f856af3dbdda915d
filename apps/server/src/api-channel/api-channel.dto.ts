import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { DateTimeWithZone } from '../http/date-time-with-zone.decorator.js';
import { OptionalField } from '../http/optional-field.decorator.js';
import { PageSize } from '../http/whole-number-query.decorator.js';
import { exampleOutboxMessageId } from './api-channel.responses.js';
import { MAX_MESSAGE_LENGTH, MessageText, WebchatMessageDto } from '../webchat/webchat.dto.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';

/** An id of a message (the adapter's `externalId`, or a `messageId` it was given): printable, without spaces, bounded. */
const MESSAGE_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
const OUTBOX_CURSOR_PATTERN = /^\d{1,12}$/;

export const RECEIPT_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export const DEFAULT_OUTBOX_PAGE = 50;
export const MAX_OUTBOX_PAGE = 200;
export const MAX_ACKNOWLEDGED = 200;

/**
 * A customer's message from the outside adapter: a text, or the value of a choice offered. The
 * contact is named as web chat's visitors are.
 */
export class ApiChannelMessageDto extends PickType(WebchatMessageDto, ['contactId', 'contactName']) {
  // Validated as web chat's visitors are; only what the document says of it differs.
  @ApiProperty({ example: 'sms:+4915112345678', description: 'The customer, as the adapter names them: one conversation per contact' })
  override contactId!: string;

  // One of text and choice: which one is checked by the route, naming both.
  @ApiPropertyOptional({
    maxLength: MAX_MESSAGE_LENGTH,
    example: 'Hello',
    description: 'Not only spaces; no control characters but tabs and line breaks; exactly one of text and choice',
  })
  @MessageText()
  @OptionalField()
  text?: string;

  @ApiPropertyOptional({
    maxLength: MAX_MESSAGE_LENGTH,
    description: "The `value` of one of the last message's `choices`; exactly one of text and choice",
  })
  @IsNotEmpty({ message: 'choice must not be empty' })
  @MaxLength(MAX_MESSAGE_LENGTH, { message: `choice must be at most ${MAX_MESSAGE_LENGTH} characters` })
  @IsString({ message: 'choice must be a string' })
  @OptionalField()
  choice?: string;

  @ApiProperty({
    description: "The adapter's id of the message, unique in the channel: a repeat with it stores nothing twice",
    pattern: MESSAGE_ID_PATTERN.source,
    example: 'SM8f3a2c',
  })
  @Matches(MESSAGE_ID_PATTERN, { message: 'externalId must be 1 to 256 printable characters without spaces' })
  @IsString({ message: 'externalId must be a string' })
  @IsDefined({ message: 'externalId is required' })
  externalId!: string;
}

/** What became of a message the channel sent, as the adapter learnt it. */
export class ApiChannelReceiptDto {
  @ApiProperty({ example: exampleOutboxMessageId(2), description: 'The `messageId` of a callback or of a pulled message' })
  @Matches(MESSAGE_ID_PATTERN, { message: 'messageId must be 1 to 256 printable characters without spaces' })
  @IsString({ message: 'messageId must be a string' })
  messageId!: string;

  @ApiProperty({ enum: RECEIPT_STATUSES })
  @IsIn(RECEIPT_STATUSES, { message: `status must be one of ${RECEIPT_STATUSES.join(', ')}` })
  status!: (typeof RECEIPT_STATUSES)[number];

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T12:01:00Z', description: 'When it happened, with a zone' })
  @DateTimeWithZone('at')
  @OptionalField()
  at?: string;
}

export class ApiOutboxQueryDto extends ConsistentReadDto {
  @ApiPropertyOptional({
    pattern: OUTBOX_CURSOR_PATTERN.source,
    example: '000000000002',
    description: 'The `next` of an earlier page: the messages after it',
  })
  @Matches(OUTBOX_CURSOR_PATTERN, { message: 'after must be a cursor from a previous page (next)' })
  @IsString({ message: 'after must be a string' })
  @IsOptional()
  after?: string;

  @PageSize(DEFAULT_OUTBOX_PAGE, MAX_OUTBOX_PAGE)
  limit?: number;
}

export class ApiOutboxAckDto {
  @ApiProperty({ type: [String], description: 'The messages the adapter has taken, by messageId', maxItems: MAX_ACKNOWLEDGED })
  @Matches(MESSAGE_ID_PATTERN, { each: true, message: 'messageIds must hold message ids' })
  @IsString({ each: true, message: 'messageIds must hold strings' })
  @ArrayMaxSize(MAX_ACKNOWLEDGED, { message: `messageIds must hold at most ${MAX_ACKNOWLEDGED} ids` })
  @ArrayMinSize(1, { message: 'messageIds must hold at least one id' })
  @IsArray({ message: 'messageIds must be an array' })
  messageIds!: string[];
}
