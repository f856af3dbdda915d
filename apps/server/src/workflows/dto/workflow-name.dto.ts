import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const MAX_WORKFLOW_NAME_LENGTH = 120;

/** `{name}`: the body of create, rename and copy. */
export class WorkflowNameDto {
  @ApiProperty({ example: 'Welcome flow', maxLength: MAX_WORKFLOW_NAME_LENGTH })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty or whitespace only' })
  @MaxLength(MAX_WORKFLOW_NAME_LENGTH, { message: `name must be at most ${MAX_WORKFLOW_NAME_LENGTH} characters` })
  name!: string;
}
