import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MessageChoice, SessionEndReason } from '#domain';
import { EXAMPLE_CHANNEL_ID } from '../channels/channel.responses.js';
import { EXAMPLE_PAGE_CURSOR, EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';

export const EXAMPLE_SESSION_ID = '9b2d7c1e-4f3a-4e8b-a6d5-0c1f2e3d4b5a';

/** Every way a session ends, as its `endReason` says it; a reason missing here does not compile. */
const END_REASONS: Record<SessionEndReason, string> = {
  flow_finished: 'the flow ran to its end',
  routed_to_team: 'the flow handed the customer to a team (`team`)',
  invalid_answer: 'a question got no valid answer within its retries',
  question_timeout: 'a question waited for its answer longer than its timeout',
  flow_error: 'the definition could not be run (a missing step, or steps that loop without waiting)',
  deactivated: 'an admin ended it: Deactivate Sessions, or a Try it preview closed or restarted',
  expired: 'no activity for the workflow’s `sessionTimeoutSeconds`',
  terminated: 'the workflow was deleted',
};

const SESSION_END_REASONS = Object.keys(END_REASONS) as SessionEndReason[];

export class MessageChoiceDto implements MessageChoice {
  @ApiProperty({ example: 'Sales', description: 'What the customer sees' })
  label!: string;

  @ApiProperty({ example: 'sales', description: 'What choosing it stores in the question’s variable' })
  value!: string;
}

/** One message of a conversation, either way. */
export class TranscriptMessageDto {
  @ApiProperty({
    example: `${EXAMPLE_SESSION_ID}:m:2`,
    description: 'The message’s id: what the channel gave a customer’s message, `<sessionId>:m:<n>` for the session’s n-th reply',
  })
  id!: string;

  @ApiProperty({ enum: ['inbound', 'outbound'], description: '`inbound` from the customer, `outbound` to them' })
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ example: 'How old are you?' })
  text!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z', description: 'When it was received or sent' })
  at!: string;

  @ApiPropertyOptional({ type: [MessageChoiceDto], description: 'Only on a question that offers choices' })
  choices?: MessageChoiceDto[];
}

/** A session as the workflow's sessions list shows it. */
export class SessionSummaryDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_SESSION_ID })
  id!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID })
  workflowId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3, description: 'The version the session runs: the one current when it started' })
  workflowVersion!: number;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'The channel the customer writes on' })
  channelId!: string;

  @ApiProperty({ example: 'visitor-7f3a', description: 'The customer, as the channel names them' })
  contactId!: string;

  @ApiProperty({ enum: ['active', 'ended'] })
  status!: 'active' | 'ended';

  @ApiProperty({ type: 'string', nullable: true, example: 'ask_age', description: 'The step it is at; null before the first' })
  currentStepId!: string | null;

  @ApiProperty({
    // OpenAPI 3.0: `nullable` does not add null to an enum; the enum must list it.
    enum: [...SESSION_END_REASONS, null],
    nullable: true,
    example: 'routed_to_team',
    description: `Why it ended; null while active. ${Object.entries(END_REASONS)
      .map(([reason, meaning]) => `\`${reason}\`: ${meaning}`)
      .join('; ')}`,
  })
  endReason!: SessionEndReason | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z' })
  startedAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'Null while active' })
  endedAt!: string | null;
}

/** `GET /workflows/:id/sessions`. */
export class SessionListDto {
  @ApiProperty({ type: [SessionSummaryDto], description: 'Newest first' })
  items!: SessionSummaryDto[];

  @ApiPropertyOptional({ example: EXAMPLE_PAGE_CURSOR, description: 'Pass as `cursor` for the next page; absent on the last' })
  nextCursor?: string;
}

/** A session with what it collected and everything said in it. */
export class SessionDetailsDto extends SessionSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    example: { age: 42, email: 'ada@example.com' },
    description: 'The answers collected so far, by the questions’ variable names (numbers for number questions)',
  })
  variables!: Record<string, string | number>;

  @ApiProperty({ type: 'string', nullable: true, example: 'sales', description: 'The team it was routed to, if it was' })
  team!: string | null;

  @ApiProperty({ type: [TranscriptMessageDto], description: 'Everything said in the session, in order' })
  transcript!: TranscriptMessageDto[];
}
