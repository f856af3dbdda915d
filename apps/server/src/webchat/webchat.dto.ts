import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CONTACT_ID_PATTERN } from '#channels';
import { TRANSCRIPT_CURSOR_PATTERN } from '#readmodel';
import { WELL_FORMED, WITHOUT_CONTROL_CHARACTERS } from '../http/display-name.dto.js';
import { OptionalField } from '../http/optional-field.decorator.js';
import { PageSize, WholeNumberQuery } from '../http/whole-number-query.decorator.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';

export const MAX_MESSAGE_LENGTH = 4096;
/** Every control character but tab, line feed and carriage return. */
const TEXT_WITHOUT_CONTROL_CHARACTERS = /^(?:[\t\n\r]|\P{Cc})*$/u;

/**
 * A customer's text, on web chat and from an outside adapter alike. applyDecorators registers in
 * the order given, and the first failing rule registered is the one reported: the type first.
 */
export const MessageText = () =>
  applyDecorators(
    IsString({ message: 'text must be a string' }),
    MaxLength(MAX_MESSAGE_LENGTH, { message: `text must be at most ${MAX_MESSAGE_LENGTH} characters` }),
    Matches(/\S/, { message: 'text must not be empty' }),
    // Tabs and line breaks are text; NUL and escape codes are not, and would reach the team and Meta as they are.
    Matches(TEXT_WITHOUT_CONTROL_CHARACTERS, { message: 'text must not contain control characters other than tabs and line breaks' }),
    Matches(WELL_FORMED, { message: 'text must not contain unpaired surrogates' }),
  );

/** A web chat visitor's id, as the widget makes it: in a message, and in Try it's end of a conversation. */
export const WebchatContactId = () =>
  applyDecorators(
    ApiProperty({
      description: 'The visitor, as the web chat widget identifies them; a random id is best',
      pattern: CONTACT_ID_PATTERN.source,
      example: 'visitor-7f3a9c',
    }),
    IsString({ message: 'contactId must be a string' }),
    Matches(CONTACT_ID_PATTERN, { message: 'contactId must be 1 to 128 letters, digits or _.:@+-' }),
  );

export class WebchatMessageDto {
  @WebchatContactId()
  contactId!: string;

  @ApiProperty({
    maxLength: MAX_MESSAGE_LENGTH,
    example: 'Hello',
    description: 'Not only spaces; no control characters but tabs and line breaks',
  })
  @MessageText()
  text!: string;

  @ApiPropertyOptional({ description: 'Shown in {{contact.name}}; not only spaces, no control characters', maxLength: 120, example: 'Ada' })
  @Matches(WELL_FORMED, { message: 'contactName must not contain unpaired surrogates' })
  @Matches(WITHOUT_CONTROL_CHARACTERS, { message: 'contactName must not contain control characters' })
  @Matches(/\S/, { message: 'contactName must not be empty' })
  @MaxLength(120, { message: 'contactName must be at most 120 characters' })
  @IsString({ message: 'contactName must be a string' })
  @OptionalField()
  contactName?: string;
}

export const DEFAULT_TRANSCRIPT_PAGE = 50;
/** Below the 30 s after which proxies commonly cut an idle request. */
export const MAX_REPLY_WAIT_SECONDS = 25;
export const MAX_TRANSCRIPT_PAGE = 200;
const CURSOR_MESSAGE = 'must be a cursor from a previous page (next or previous)';

/** A page of a transcript: the newest messages by default, or those after or before a cursor. */
export class TranscriptQueryDto extends ConsistentReadDto {
  @ApiPropertyOptional({
    pattern: TRANSCRIPT_CURSOR_PATTERN.source,
    example: '000000000003',
    description: 'The `next` of an earlier page: the messages that follow it, oldest first',
  })
  @Matches(TRANSCRIPT_CURSOR_PATTERN, { message: `after ${CURSOR_MESSAGE}` })
  @IsString({ message: 'after must be a string' })
  @IsOptional()
  after?: string;

  @ApiPropertyOptional({
    pattern: TRANSCRIPT_CURSOR_PATTERN.source,
    example: '000000000002',
    description: 'The `previous` of a page: the messages just before it',
  })
  @Matches(TRANSCRIPT_CURSOR_PATTERN, { message: `before ${CURSOR_MESSAGE}` })
  @IsString({ message: 'before must be a string' })
  @IsOptional()
  before?: string;

  @PageSize(DEFAULT_TRANSCRIPT_PAGE, MAX_TRANSCRIPT_PAGE)
  limit?: number;

  @ApiPropertyOptional({
    maxLength: 256,
    example: '0b6f3c2e-8d4a-4f1b-9e7c-5a2d1c3b4e6f',
    description:
      'A message id of this conversation: answers once a reply recorded after it is in the transcript (or after waitSeconds), with the messages after it',
  })
  @IsNotEmpty({ message: 'waitFor must not be empty: leave it out to read at once' })
  @MaxLength(256, { message: 'waitFor must be at most 256 characters' })
  @IsString({ message: 'waitFor must be a string' })
  @IsOptional()
  waitFor?: string;

  @WholeNumberQuery('waitSeconds', {
    min: 1,
    max: MAX_REPLY_WAIT_SECONDS,
    byDefault: MAX_REPLY_WAIT_SECONDS,
    description: 'How long waitFor waits at the most',
  })
  waitSeconds?: number;
}
