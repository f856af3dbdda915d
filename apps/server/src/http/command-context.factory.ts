import { randomUUID } from 'node:crypto';
import type { CommandContext } from '#engine';
import type { Principal } from '#platform';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An HTTP request's X-Request-Id (when sane) correlates everything it causes. */
export const commandContextFor = (principal: Principal, headers: Record<string, string | string[] | undefined>): CommandContext => {
  const requestId = headers['x-request-id'];
  const correlationId = typeof requestId === 'string' && REQUEST_ID.test(requestId) ? requestId : randomUUID();
  return {
    actor: { sub: principal.sub, role: principal.role },
    workspace: principal.workspace,
    correlationId,
    causationId: correlationId,
  };
};
