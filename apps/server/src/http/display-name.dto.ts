import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { CONTROL_CHARACTERS, MAX_WORKFLOW_NAME_LENGTH } from '#domain';

export const WITHOUT_CONTROL_CHARACTERS = new RegExp(`^[^${CONTROL_CHARACTERS.source}]*$`, 'u');
/**
 * UTF-16 with every surrogate in a pair (read by code unit: no `u` flag). A lone one is no
 * character: the read models store U+FFFD in its place, so the text read back would differ.
 */
export const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * `{name}`: the name of a workflow or a channel. Only the first failing check is reported, and
 * class-validator runs the decorators bottom-up: read them from the last one upwards.
 */
export class DisplayNameDto {
  @ApiProperty({
    example: 'Welcome flow',
    minLength: 1,
    maxLength: MAX_WORKFLOW_NAME_LENGTH,
    description: `Trimmed; then 1 to ${MAX_WORKFLOW_NAME_LENGTH} characters, none of them a control character or an unpaired surrogate`,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(MAX_WORKFLOW_NAME_LENGTH, { message: `name must be at most ${MAX_WORKFLOW_NAME_LENGTH} characters` })
  @Matches(WELL_FORMED, { message: 'name must not contain unpaired surrogates' })
  @Matches(WITHOUT_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  @IsNotEmpty({ message: 'name must not be empty or whitespace only' })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;
}
