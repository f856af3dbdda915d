import { BadRequestException, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { quotedInput } from '#domain';

/** Parameters through which a handler reads the body: `@Body()`, or the whole request (webhooks check its signature). */
const BODY_READERS: ReadonlySet<string> = new Set([RouteParamtypes.BODY, RouteParamtypes.REQUEST, RouteParamtypes.RAW_BODY].map(String));

const readsBody = (context: ExecutionContext): boolean => {
  const parameters = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as object;
  // Keys are `<type>:<index>`, custom decorators' `<type>__customRouteArgs__:<index>`.
  return Object.keys(parameters).some((key) => BODY_READERS.has(key.split(':')[0]));
};

/** No body, JSON `null` or `{}`: what clients send to a route that takes none. */
const isEmpty = (body: unknown): boolean =>
  body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/**
 * Runs after the guards: a body that could not be read is refused only once the caller is known
 * (401 and 403 come first), and a route that reads no body refuses one, as validation refuses an
 * unknown property, instead of acting as if it had not been sent.
 */
@Injectable()
export class RequestBodyInterceptor implements NestInterceptor {
  private readonly readers = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.bodyRefusal) throw request.bodyRefusal;
    const { body } = request;
    if (!isEmpty(body) && !this.handlerReadsBody(context)) {
      const [property] = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
      throw new BadRequestException(
        property === undefined ? ['This request takes no body: send none, or {}'] : [`property ${quotedInput(property)} should not exist`],
      );
    }
    return next.handle();
  }

  private handlerReadsBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let reads = this.readers.get(handler);
    if (reads === undefined) this.readers.set(handler, (reads = readsBody(context)));
    return reads;
  }
}
