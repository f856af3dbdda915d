import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { OPENAPI_FILE, openApiFileText } from '../apps/server/src/openapi/openapi-document.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { inProcessServerForSuite } from './support/suite-server.js';

describe('the OpenAPI document', () => {
  const suite = inProcessServerForSuite();

  it('is committed as the server serves it (npm run openapi writes it)', async () => {
    const served = await suite.server.api.request('GET', '/docs-json', { token: null });
    expect(served.status).toBe(200);
    // Compared as text: a reviewer reads the committed file's diff.
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiFileText(served.body));
  });

  it('calls only the bearer tokens that are JWTs so, and says how a channel secret comes about', async () => {
    const served = await suite.server.api.request<{
      components: { securitySchemes: Record<string, { bearerFormat?: string; description: string }> };
    }>('GET', '/docs-json', { token: null });
    const { bearer, channelSecret, metricsToken } = served.body.components.securitySchemes;
    expect([bearer.bearerFormat, channelSecret.bearerFormat, metricsToken.bearerFormat]).toEqual([
      'JWT',
      'channel secret',
      'METRICS_TOKEN',
    ]);
    expect(channelSecret.description).toContain('never returned');
  });

  it('declares the 431 that any route answers to a head over 16 KiB, with or without path parameters', async () => {
    const served = await suite.server.api.request<{ paths: Record<string, Record<string, { responses: object }>> }>('GET', '/docs-json', {
      token: null,
    });
    const operations = Object.values(served.body.paths).flatMap((methods) => Object.values(methods));
    const undeclared = operations.filter(({ responses }) => !('431' in responses));
    expect(operations.length).toBeGreaterThan(30);
    expect(undeclared).toEqual([]);
    // Held to the document by the test client, as every answer: a route without path parameters.
    const refused = await suite.server.api.request('GET', '/workflows', { headers: { 'x-padding': 'x'.repeat(17 * 1024) } });
    expect(refused).toEqual({
      status: 431,
      body: { statusCode: 431, error: 'Request Header Fields Too Large', message: 'Exceeded maximum allowed HTTP header size' },
    });
  });

  it('lists null in every enum that may be null (OpenAPI 3.0: `nullable` does not add it)', () => {
    const document: unknown = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    const enumsWithoutNull: string[] = [];
    let nullableEnums = 0;
    const visit = (value: unknown, at: string): void => {
      if (typeof value !== 'object' || value === null) return;
      const schema = value as { nullable?: unknown; enum?: unknown[] };
      if (schema.nullable === true && Array.isArray(schema.enum)) {
        nullableEnums += 1;
        if (!schema.enum.includes(null)) enumsWithoutNull.push(at);
      }
      for (const [key, child] of Object.entries(value)) visit(child, `${at}/${key}`);
    };
    visit(document, '#');
    expect(nullableEnums).toBeGreaterThan(0);
    expect(enumsWithoutNull).toEqual([]);
  });

  it('gives every parameter of every operation an example that its schema admits', async () => {
    interface Parameter {
      name: string;
      in: string;
      example?: unknown;
      schema?: { type?: string; enum?: unknown[]; format?: string; minimum?: number; maximum?: number; example?: unknown };
    }
    const served = await suite.server.api.request<{ paths: Record<string, Record<string, { parameters?: Parameter[] }>> }>(
      'GET',
      '/docs-json',
      { token: null },
    );
    const parameters = Object.entries(served.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, { parameters = [] }]) =>
        parameters.map((parameter) => ({ at: `${method} ${path} ${parameter.in}:${parameter.name}`, parameter })),
      ),
    );
    const problems = parameters.flatMap(({ at, parameter }) => {
      const { schema = {} } = parameter;
      const example = parameter.example ?? schema.example;
      if (example === undefined) return [`${at}: no example`];
      if (schema.enum && !schema.enum.includes(example)) return [`${at}: ${JSON.stringify(example)} is not one of its values`];
      if (
        schema.format === 'uuid' &&
        !(typeof example === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(example))
      ) {
        return [`${at}: ${JSON.stringify(example)} is not a UUID`];
      }
      if (schema.type === 'integer') {
        const fits =
          Number.isInteger(example) &&
          (example as number) >= (schema.minimum ?? -Infinity) &&
          (example as number) <= (schema.maximum ?? Infinity);
        if (!fits) return [`${at}: ${JSON.stringify(example)} is not an integer within its bounds`];
      }
      return [];
    });
    expect(parameters.length).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});

describe('OpenApiContract, the e2e suites’ check of every answer', () => {
  const contract = new OpenApiContract({
    openapi: '3.0.0',
    paths: {
      '/things/{id}': {
        get: {
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
      '/things/live': { get: { responses: { '200': { content: { 'text/event-stream': { schema: { type: 'string' } } } } } } },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, note: { type: 'string', nullable: true } },
        },
        Error: { type: 'object', required: ['statusCode'], properties: { statusCode: { type: 'integer' } } },
      },
    },
  });
  const id = '0b6e2a5e-3f8b-4a59-9d3f-1f0f6c1e8a11';
  const answer = (status: number, body: unknown, path = `/things/${id}`, contentType = 'application/json; charset=utf-8') => ({
    method: 'GET',
    path,
    status,
    contentType,
    body,
  });

  it('admits answers the document declares', () => {
    expect(contract.problemsOf(answer(200, { id, name: 'A thing', note: null }))).toEqual([]);
    expect(contract.problemsOf(answer(404, { statusCode: 404 }))).toEqual([]);
    // A literal path wins over a templated one.
    expect(contract.problemsOf(answer(200, 'event: card\n', '/things/live?x=1', 'text/event-stream'))).toEqual([]);
  });

  it('finds a body that drifted: a field renamed, added, of another type or format', () => {
    expect(contract.problemsOf(answer(200, { id, title: 'A thing' }))).toEqual([
      "GET /things/{id} answered 200: body must have required property 'name'",
      'GET /things/{id} answered 200: body must NOT have additional properties',
    ]);
    expect(contract.problemsOf(answer(200, { id, name: 7 }))).toEqual(['GET /things/{id} answered 200: body/name must be string']);
    expect(contract.problemsOf(answer(200, { id: 'seven', name: 'A thing' }))).toEqual([
      'GET /things/{id} answered 200: body/id must match format "uuid"',
    ]);
  });

  it('finds a status or a media type the operation does not declare', () => {
    expect(contract.problemsOf(answer(409, { statusCode: 409 }))).toEqual([
      'GET /things/{id} answered 409, a status the document does not declare for it',
    ]);
    expect(contract.problemsOf(answer(200, 'hello', `/things/${id}`, 'text/plain'))).toEqual([
      'GET /things/{id} answered 200 with text/plain, but declares application/json',
    ]);
  });

  it('leaves paths the document does not have to the router', () => {
    expect(contract.problemsOf(answer(404, 'Not Found', '/elsewhere'))).toEqual([]);
  });
});
