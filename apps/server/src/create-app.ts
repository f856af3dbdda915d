import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type ServerConfig } from './app.module.js';
import { enabledLogLevels } from './config/app-config.js';
import { useJsonBodiesOnly } from './http/json-body.parser.js';

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the configured server without listening, so tests and main start it the same way. */
export const createApp = async (config: ServerConfig): Promise<NestFastifyApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    // Nest's own parsers would also accept forms; this API reads JSON only (json-body.parser.ts).
    { logger: enabledLogLevels(config.logLevel), bodyParser: false },
  );
  useJsonBodiesOnly(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: true,
    }),
  );
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('Workflows service')
    .setDescription('Automated conversation workflows: commands become events, reads come from projections.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  return app;
};
