import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';

/** The bearer token GET /metrics requires (METRICS_TOKEN); not provided when /metrics is open. */
export const METRICS_TOKEN = Symbol('METRICS_TOKEN');

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Whether an Authorization header carries `token` as its bearer token. The digests compared are
 * of equal length, so the comparison takes as long whatever was sent, its length included.
 */
export const carriesBearerToken = (header: string | string[] | undefined, token: string): boolean => {
  const sent = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token));
};

/** With METRICS_TOKEN set, only a scraper that sends it may read /metrics; without it, anyone may. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Optional() @Inject(METRICS_TOKEN) private readonly token?: string) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.token === undefined) return true;
    const { headers } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (carriesBearerToken(headers.authorization, this.token)) return true;
    throw new UnauthorizedException(
      'GET /metrics requires the metrics token (METRICS_TOKEN) as the bearer token in the Authorization header',
    );
  }
}
