import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CREDENTIALS_NOT_NEEDED, LiveStatusDto, NotReadyResponseDto, ReadyStatusDto } from './health.responses.js';
import { READINESS_MAX_LAG, ReadinessService } from './readiness.service.js';

/** The probes an orchestrator asks: is the process up (liveness), can it do its work now (readiness). */
@ApiTags('health')
@Controller('health')
export class HealthProbesController {
  constructor(private readonly readiness: ReadinessService) {}

  /** 200 for as long as the process serves requests: restarting it would not help otherwise. */
  @Get('live')
  @Public()
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness probe',
    description: `200 for as long as the process serves requests. ${CREDENTIALS_NOT_NEEDED}`,
  })
  @ApiOkResponse({ type: LiveStatusDto, description: 'The process serves requests' })
  @ApiErrors(429)
  live(): LiveStatusDto {
    return { status: 'live' };
  }

  /**
   * 200 when both stores answer and every subscription this process runs is caught up (within
   * READINESS_MAX_LAG); 503 naming each reason otherwise, so that traffic goes elsewhere meanwhile.
   * The 503 is an answer, not an error: probes ask every few seconds, and it logs no stack trace.
   */
  @Get('ready')
  @Public()
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness probe',
    description:
      `200 when both stores answer and every subscription this process runs is within \`maxLag\` of the log; 503 naming each reason ` +
      `otherwise, so that traffic goes elsewhere meanwhile. ${CREDENTIALS_NOT_NEEDED}`,
  })
  @ApiOkResponse({ type: ReadyStatusDto, description: 'Ready: the stores answer and every subscription is caught up' })
  @ApiResponse({ status: HttpStatus.SERVICE_UNAVAILABLE, type: NotReadyResponseDto, description: 'Not ready, and why' })
  @ApiErrors(429)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyStatusDto | NotReadyResponseDto> {
    const { ready, reasons, subscriptions } = await this.readiness.check();
    if (ready) return { status: 'ready', subscriptions, maxLag: READINESS_MAX_LAG };
    const statusCode = HttpStatus.SERVICE_UNAVAILABLE;
    reply.status(statusCode);
    return { statusCode, message: reasons.join('; '), error: 'Service Unavailable', reasons, subscriptions, maxLag: READINESS_MAX_LAG };
  }
}
