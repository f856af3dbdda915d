import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/** Nest's start-up lines, one per module and one per route: debug, so that info says what an operator needs. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's `Logger` (used across apps/ and libs/) writing through the server's pino logger: one
 * JSON line with `context` (the name given to `new Logger(…)`), at the pino level of Nest's.
 * Nest passes the context as the last argument, and an error's stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(methodLevel: Level, message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const level = methodLevel === 'info' && context !== undefined && START_UP_CONTEXTS.has(context) ? 'debug' : methodLevel;
    if (!this.logger.isLevelEnabled(level)) return;
    const stack = level === 'error' || level === 'fatal' ? params.find((param) => typeof param === 'string') : undefined;
    const details = params.filter((param) => param !== undefined && param !== stack);
    const fields = { context, ...(stack === undefined ? {} : { stack }), ...(details.length > 0 ? { details } : {}) };
    if (typeof message === 'string') this.logger[level](fields, message);
    else if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else this.logger[level]({ ...fields, value: message });
  }
}
