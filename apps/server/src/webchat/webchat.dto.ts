import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Contact ids become part of stream names: a conservative alphabet, bounded length. */
export const CONTACT_ID_PATTERN = /^[A-Za-z0-9_.:@+-]{1,128}$/;
export const MAX_MESSAGE_LENGTH = 4096;

export class WebchatMessageDto {
  @ApiProperty({ description: 'The visitor, as the web chat widget identifies them; a random id is best', pattern: CONTACT_ID_PATTERN.source })
  @Matches(CONTACT_ID_PATTERN, { message: 'contactId must be 1 to 128 letters, digits or _.:@+-' })
  @IsString({ message: 'contactId must be a string' })
  contactId!: string;

  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(MAX_MESSAGE_LENGTH, { message: `text must be at most ${MAX_MESSAGE_LENGTH} characters` })
  @IsString({ message: 'text must be a string' })
  text!: string;

  @ApiPropertyOptional({ description: 'Shown in {{contact.name}}', maxLength: 120 })
  @IsNotEmpty({ message: 'contactName must not be empty' })
  @MaxLength(120, { message: 'contactName must be at most 120 characters' })
  @IsString({ message: 'contactName must be a string' })
  @IsOptional()
  contactName?: string;
}
