import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Principal, Role } from '#platform';

export const PUBLIC_ROUTE = 'workflows:public-route';
export const REQUIRED_ROLES = 'workflows:required-roles';

/**
 * No token needed (health, webhooks, webchat, the admin page). The empty security requirement
 * marks the operation public in the OpenAPI document (openapi-document.ts). `'own-credentials'`:
 * the route itself checks another credential (an API channel's secret in its guard, a webhook's
 * signature in its handler) and the body after it.
 */
export const Public = (credentials: 'none' | 'own-credentials' = 'none') =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, credentials), ApiSecurity({}));

/** The roles allowed to call a route; a valid token of another role gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export interface AuthenticatedRequest {
  principal?: Principal;
  /** Until when the bearer token is accepted (epoch ms). */
  credentialAcceptedUntilMs?: number;
  headers: Record<string, string | string[] | undefined>;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The global guard runs first; a route without a principal is a public one misusing the decorator.
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** Until when the caller's token is accepted (epoch ms): what an answer that outlasts the request ends by. */
export const CredentialAcceptedUntil = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const until = context.switchToHttp().getRequest<AuthenticatedRequest>().credentialAcceptedUntilMs;
  if (until === undefined) throw new Error('CredentialAcceptedUntil used on a public route');
  return until;
});
