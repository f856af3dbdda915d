import { STATUS_CODES } from 'node:http';
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { READINESS_MAX_LAG, ReadinessService } from './readiness.service.js';

/** The probes an orchestrator asks: is the process up (liveness), can it do its work now (readiness). */
@ApiTags('health')
@Controller('health')
export class HealthProbesController {
  constructor(private readonly readiness: ReadinessService) {}

  /** 200 for as long as the process serves requests: restarting it would not help otherwise. */
  @Get('live')
  @Public()
  live() {
    return { status: 'live' };
  }

  /**
   * 200 when both stores answer and every subscription this process runs is caught up (within
   * READINESS_MAX_LAG); 503 naming each reason otherwise, so that traffic goes elsewhere meanwhile.
   * The 503 is an answer, not an error: probes ask every few seconds, and it logs no stack trace.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, reasons, subscriptions } = await this.readiness.check();
    if (ready) return { status: 'ready', subscriptions, maxLag: READINESS_MAX_LAG };
    const statusCode = HttpStatus.SERVICE_UNAVAILABLE;
    reply.status(statusCode);
    return { statusCode, message: reasons.join('; '), error: STATUS_CODES[statusCode], reasons, subscriptions, maxLag: READINESS_MAX_LAG };
  }
}
