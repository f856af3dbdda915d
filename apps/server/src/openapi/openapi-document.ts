import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The security scheme of the admin and auditor API: a JWT signed with AUTH_SECRET. */
export const BEARER_SCHEME = 'bearer';
/** The security scheme of an API channel's routes: that channel's own secret as a bearer token. */
export const CHANNEL_SECRET_SCHEME = 'channelSecret';
/** The security scheme of GET /metrics: METRICS_TOKEN as a bearer token, when the server is started with one. */
export const METRICS_TOKEN_SCHEME = 'metricsToken';

const DESCRIPTION = [
  'Automated conversation workflows: commands become events in an append-only log, reads come from projections of it.',
  '',
  'Every command answer carries `position`; a query given `?consistentWith=<position>` waits (at most 5 s) until its projection has passed it.',
  'Errors have the shape `{statusCode, message, error}`. Admin and auditor routes take `Authorization: Bearer <JWT>` (HS256, claims `sub`, `role`, `workspace`, `exp`);',
  'public routes (health, webhooks, the web chat) need none; an API channel’s routes take the channel’s secret.',
].join('\n');

const builder = () =>
  new DocumentBuilder()
    .setTitle('Workflows service')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'This server')
    .addServer('http://localhost:3000', 'The embedded default started by npm start')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An HS256 JWT signed with AUTH_SECRET' },
      BEARER_SCHEME,
    )
    .addBearerAuth(
      // bearerFormat set, or Nest's default says JWT of what is none.
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'channel secret',
        description: 'The API channel’s secret, as chosen in its config when it was created; never returned, listed or logged',
      },
      CHANNEL_SECRET_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'METRICS_TOKEN',
        description: 'METRICS_TOKEN; without it configured, /metrics needs no credentials',
      },
      METRICS_TOKEN_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .build();

/**
 * Routes marked public declare the empty requirement `{}` (auth.decorators.ts). OpenAPI says "no
 * credentials" with an empty list, which also overrides the document's bearer default; a public
 * route with credentials of its own (an API channel's secret) keeps only those.
 */
const markPublicOperations = (document: OpenAPIObject): OpenAPIObject => {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const described = operation as { security?: Record<string, string[]>[] };
      if (!described.security?.some((requirement) => Object.keys(requirement).length === 0)) continue;
      described.security = described.security.filter((requirement) => {
        const schemes = Object.keys(requirement);
        return schemes.length > 0 && !schemes.includes(BEARER_SCHEME);
      });
    }
  }
  return document;
};

/** Where `npm run openapi` writes the document, committed so that reviewers see contract changes in diffs. */
export const OPENAPI_FILE = 'docs/openapi.json';

/** The document as committed: two-space JSON with a final newline. */
export const openApiFileText = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

/** The OpenAPI document of the application's routes, as `/docs-json` serves it and `npm run openapi` writes it. */
export const openApiDocumentOf = (app: INestApplication): OpenAPIObject =>
  markPublicOperations(SwaggerModule.createDocument(app, builder(), { operationIdFactory: (_controller, method) => method }));

/** The interactive documentation at /docs and the document at /docs-json. */
export const serveApiDocs = (app: INestApplication): void => SwaggerModule.setup('docs', app, () => openApiDocumentOf(app));
