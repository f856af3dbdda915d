import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { checkRequestBody } from '../http/request-body.check.js';
import { type AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators.js';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS, InvalidTokenError, type Role, verifyJwtUntil } from '#platform';

export const AUTH_SECRET = Symbol('AUTH_SECRET');
/** The longest lifetime of a token the server accepts, in seconds (AUTH_MAX_TOKEN_TTL). */
export const AUTH_MAX_TOKEN_TTL = Symbol('AUTH_MAX_TOKEN_TTL');

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may call it.
 * The body is checked once the caller is known (checkRequestBody).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_SECRET) private readonly secret: string,
    @Optional() @Inject(AUTH_MAX_TOKEN_TTL) private readonly maxTtlSeconds: number = DEFAULT_MAX_TOKEN_TTL_SECONDS,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<'none' | 'own-credentials' | undefined>(PUBLIC_ROUTE, targets);
    if (publicRoute !== undefined) {
      if (publicRoute === 'none') checkRequestBody(context);
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('Missing bearer token in the Authorization header');
    try {
      const verified = await verifyJwtUntil(match[1], this.secret, { maxTtlSeconds: this.maxTtlSeconds });
      request.principal = verified.principal;
      request.credentialAcceptedUntilMs = verified.acceptedUntilMs;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Invalid token: ${error.message}`);
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ForbiddenException(`This action requires the role ${roles.join(' or ')}`);
    }
    checkRequestBody(context);
    return true;
  }
}
