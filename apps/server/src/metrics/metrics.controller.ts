import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { METRICS_TOKEN_SCHEME } from '../openapi/openapi-document.js';
import { MetricsScrapeService } from './metrics-scrape.service.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

/** The media type as the document names it; the answer's Content-Type adds `version=0.0.4; charset=utf-8`. */
const PROMETHEUS_TEXT = 'text/plain';

/**
 * Prometheus scrapes this; it needs no user token, only the metrics token when METRICS_TOKEN is set.
 * Public to the JWT guard; its own scheme in the document, so that a client knows what to send.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly scrape: MetricsScrapeService) {}

  @Get()
  @Public()
  @UseGuards(MetricsTokenGuard)
  @ApiSecurity(METRICS_TOKEN_SCHEME)
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Scrape the Prometheus metrics',
    description:
      'This server’s metrics (requests, appended events, deliveries, AI agent calls, subscription lag, sessions, owed work) and the ' +
      'process’s, in the Prometheus text exposition format 0.0.4. With METRICS_TOKEN set it takes that token as the bearer token ' +
      '(401 otherwise); without it, none. Never a user’s JWT.',
  })
  @ApiOkResponse({
    description: 'Prometheus text, `Content-Type: text/plain; version=0.0.4; charset=utf-8`',
    content: {
      [PROMETHEUS_TEXT]: {
        schema: {
          type: 'string',
          example:
            '# HELP workflows_active_sessions Sessions in progress…\n# TYPE workflows_active_sessions gauge\nworkflows_active_sessions 3\n',
        },
      },
    },
  })
  @ApiErrors(401, 429)
  @Header('Content-Type', prometheusContentType)
  metrics(): Promise<string> {
    return this.scrape.text();
  }
}
