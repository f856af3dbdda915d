import { BadRequestException, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import { unknownPropertyMessage } from './request-validation.pipe.js';

/** Parameters through which a handler reads the body: `@Body()`, or the whole request (webhooks check its signature). */
const BODY_READERS: ReadonlySet<string> = new Set([RouteParamtypes.BODY, RouteParamtypes.REQUEST, RouteParamtypes.RAW_BODY].map(String));

/** Per handler, whether it reads the body; the route's parameters do not change once declared. */
const handlersReadingBody = new WeakMap<object, boolean>();

const readsBody = (context: ExecutionContext): boolean => {
  const handler = context.getHandler();
  let reads = handlersReadingBody.get(handler);
  if (reads === undefined) {
    const parameters = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as object;
    // Keys are `<type>:<index>`, custom decorators' `<type>__customRouteArgs__:<index>`.
    reads = Object.keys(parameters).some((key) => BODY_READERS.has(key.split(':')[0]));
    handlersReadingBody.set(handler, reads);
  }
  return reads;
};

/** The property names of a body that is a JSON object; undefined for anything else. */
const propertiesOf = (body: unknown): string[] | undefined =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : undefined;

/**
 * Called by the guard that authenticated the caller, once it has: a body that could not be read
 * is refused only once the caller is known (401 and 403 come first), and a route that reads no
 * body refuses one, as validation refuses an unknown property, instead of acting as if it had not
 * been sent. (A guard rather than an interceptor: Nest wraps every request in observables for an
 * interceptor, a fifth of `/health`'s CPU.)
 */
export const checkRequestBody = (context: ExecutionContext): void => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (request.bodyRefusal) throw request.bodyRefusal;
  const { body } = request;
  if (body === undefined || body === null || readsBody(context)) return;
  const properties = propertiesOf(body);
  // `{}` too is what clients send to a route that takes no body.
  if (properties?.length === 0) return;
  throw new BadRequestException(
    properties === undefined ? ['This request takes no body: send none, or {}'] : [unknownPropertyMessage(properties[0])],
  );
};
