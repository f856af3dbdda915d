import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type ServerConfig } from './app.module.js';
import { serveApiDocs } from './openapi/openapi-document.js';
import { closeStorage, openStorage } from '#platform';
import { CONTACT_ID_MAX_LENGTH } from '#channels';
import { useJsonBodiesOnly } from './http/json-body.parser.js';
import { answerRouterRefusal } from './http/router-refusals.js';
import { RequestValidationPipe } from './http/request-validation.pipe.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { builtConsoleDir, serveConsole } from './console/console-assets.js';
import { answerWebchatCors } from './webchat/webchat-cors.js';
import { NestPinoLogger } from './logging/nest-logger.js';
import { echoRequestIds, requestLoggingOptions } from './logging/request-logging.js';
import { createServerLogger } from './logging/server-logger.js';
import { trustedProxies, useRateLimits } from './rate-limits/rate-limits.js';
import { useSecurityHeaders } from './http/security-headers.js';
import { WEBHOOK_BODY_LIMIT_BYTES, WEBHOOK_ROUTE } from './webhooks/webhooks.controller.js';

const BODY_LIMIT_BYTES = 1024 * 1024;
/** The longest path parameter any route takes, decoded: a contact id (the transcript's path). */
const LONGEST_PATH_PARAMETER = CONTACT_ID_MAX_LENGTH;

/**
 * Builds the configured server without listening, so tests and main start it the same way. The
 * stores are opened first: an unreachable backend fails the start before anything else runs.
 */
export const createApp = async (config: ServerConfig): Promise<NestFastifyApplication> => {
  const logger = await createServerLogger(config);
  const storage = await openStorage(config, logger.child({ context: 'EventStore' }));
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: LONGEST_PATH_PARAMETER },
    trustProxy: trustedProxies(config.rateLimits),
    // In place of Nest's, which sends Fastify's texts: they repeat the whole path.
    frameworkErrors: answerRouterRefusal,
    ...requestLoggingOptions(logger),
  });
  echoRequestIds(adapter.getInstance());
  // Before Nest registers its routes: a route's body limit is set as it is declared.
  adapter.getInstance().addHook('onRoute', (route) => {
    if (route.url === WEBHOOK_ROUTE) route.bodyLimit = WEBHOOK_BODY_LIMIT_BYTES;
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config, storage),
    adapter,
    // Nest's own parsers would also accept forms; this API reads JSON only (json-body.parser.ts).
    // abortOnError: false lets a failed start reach the caller instead of aborting the process.
    { logger: new NestPinoLogger(logger), bodyParser: false, abortOnError: false },
  ).catch(async (error: unknown) => {
    await closeStorage(storage);
    throw error;
  });
  const fastify = app.getHttpAdapter().getInstance();
  app.get(ServerMetrics).observeRequests(fastify);
  useJsonBodiesOnly(fastify);
  await answerWebchatCors(fastify, config.webchatAllowedOrigins ?? '*');
  // Before the limits and the console: their early answers carry the headers too.
  await useSecurityHeaders(fastify, config.webchatAllowedOrigins ?? '*');
  // After CORS and the security headers: a refusal carries them too.
  await useRateLimits(fastify, config.rateLimits).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  if (config.roles.has('api')) await serveConsole(fastify, config.consoleDir ?? builtConsoleDir());
  app.useGlobalPipes(
    new RequestValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: true,
    }),
  );
  // A process without the api role serves none of the routes the documents describe.
  if (config.roles.has('api')) serveApiDocs(app);
  return app;
};
