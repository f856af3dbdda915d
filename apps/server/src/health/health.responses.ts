import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { SessionCapsStatus } from '#engine';
import type { ProjectionStatus } from '#readmodel';

const EXAMPLE_POSITION = '1042';

/** Where a subscription of the log stands in this process. */
export class SubscriptionStatusDto implements ProjectionStatus {
  @ApiPropertyOptional({
    type: 'string',
    example: EXAMPLE_POSITION,
    description: 'The log position it has followed to; absent before its first event',
  })
  position!: string | undefined;

  @ApiProperty({ type: 'integer', minimum: 0, example: 12, description: 'Events it has handled since this process started' })
  appliedSinceStart!: number;

  @ApiPropertyOptional({ description: 'Set while it is failing and retrying: what failed last' })
  lastError?: string;
}

export class SessionCapsStatusDto implements SessionCapsStatus {
  @ApiProperty({ type: 'integer', minimum: 1, example: 10000, description: 'MAX_OPEN_SESSIONS_PER_CHANNEL' })
  maxOpenSessionsPerChannel!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'Sessions open on every channel together, those starting included' })
  openSessions!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Channels with no room for another session' })
  channelsAtCap!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Sessions refused at the cap since the engine started' })
  sessionsRefused!: number;
}

export class EngineStatusDto extends SubscriptionStatusDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'Timers, AI agent requests and deliveries it owes now' })
  pendingWork!: number;

  @ApiProperty({ type: SessionCapsStatusDto })
  sessionCaps!: SessionCapsStatusDto;
}

@ApiExtraModels(SubscriptionStatusDto)
export class HealthStatusDto {
  @ApiProperty({ enum: ['ok'], description: 'The process answers' })
  status!: 'ok';

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: EXAMPLE_POSITION,
    description: 'The head of the event log; null while it is empty',
  })
  logPosition!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(SubscriptionStatusDto) },
    description: 'Each projection this process runs, by name; none without the `projections` role',
    example: { workflows: { position: EXAMPLE_POSITION, appliedSinceStart: 12 } },
  })
  projections!: Record<string, SubscriptionStatusDto>;

  @ApiPropertyOptional({ type: EngineStatusDto, description: 'The session engine, in a process with the `engine` role' })
  engine?: EngineStatusDto;
}

export class LiveStatusDto {
  @ApiProperty({ enum: ['live'] })
  status!: 'live';
}

/** A lag in events and in seconds: a subscription's, or the bound on it. */
export class LagDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Events of the log not handled yet' })
  events!: number;

  @ApiProperty({ type: 'number', minimum: 0, example: 0, description: 'How long the oldest of them has been in the log, in seconds' })
  seconds!: number;
}

const subscriptionLags = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(LagDto) },
  description:
    'The lag of each subscription this process runs (its projections, its session engine), by name; counted up to one past the bound',
  example: { workflows: { events: 0, seconds: 0 }, 'session-engine': { events: 0, seconds: 0 } },
} as const;

const maxLag = { type: LagDto, description: 'How far behind a subscription may be and still count as caught up' } as const;

export class ReadyStatusDto {
  @ApiProperty({ enum: ['ready'] })
  status!: 'ready';

  @ApiProperty(subscriptionLags)
  subscriptions!: Record<string, LagDto>;

  @ApiProperty(maxLag)
  maxLag!: LagDto;
}

/** 503 is an answer here, not a failure: the error body's fields, and why. */
export class NotReadyResponseDto {
  @ApiProperty({ enum: [503] })
  statusCode!: number;

  @ApiProperty({ example: 'the read-model store is unreachable: connection refused', description: 'The reasons, joined by `; `' })
  message!: string;

  @ApiProperty({ example: 'Service Unavailable' })
  error!: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    description: 'Each reason it is not ready: a store that does not answer, a subscription behind',
  })
  reasons!: string[];

  @ApiProperty(subscriptionLags)
  subscriptions!: Record<string, LagDto>;

  @ApiProperty(maxLag)
  maxLag!: LagDto;
}

/** Why a probe's operation declares 429 although it needs no credentials. */
export const CREDENTIALS_NOT_NEEDED =
  'Needs no credentials; a request that sends an Authorization header anyway meets the rate limits of the API’s tokens (429).';
