import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { Public } from '../auth/auth.decorators.js';
import { MetricsScrapeService } from './metrics-scrape.service.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

/** Prometheus scrapes this; it needs no user token, only the metrics token when METRICS_TOKEN is set. */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly scrape: MetricsScrapeService) {}

  @Get()
  @Public()
  @UseGuards(MetricsTokenGuard)
  @ApiBearerAuth()
  @Header('Content-Type', prometheusContentType)
  metrics(): Promise<string> {
    return this.scrape.text();
  }
}
