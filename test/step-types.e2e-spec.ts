import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  properties?: { [field: string]: JsonSchema };
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  enum?: unknown[];
  [keyword: string]: unknown;
};
interface StepTypeItem {
  type: string;
  title: string;
  description: string;
  schema: JsonSchema;
}

const STEP_TYPE_ORDER = ['send_message', 'ask_question', 'branch', 'route_to_team', 'invoke_ai_agent', 'wait', 'end'];

describe('Step types and the shape of a definition', () => {
  let server: InProcessServer;
  let api: Api;

  beforeAll(async () => {
    server = await startInProcessServer();
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  describe('GET /step-types', () => {
    it('refuses an anonymous caller with 401', async () => {
      expect((await api.request('GET', '/step-types', { token: null })).status).toBe(401);
    });

    it('takes `consistentWith` as every query does, and refuses an unknown parameter', async () => {
      const created = await api.request('POST', '/workflows', { body: { name: 'For a position' } });
      expect((await api.request('GET', `/step-types?consistentWith=${created.body.position}`)).status).toBe(200);
      expect((await api.request('GET', '/step-types?consistentWith=abc')).body).toEqual({
        statusCode: 400,
        message: 'consistentWith: Not a position of this event store: "abc"',
        error: 'Bad Request',
      });
      expect((await api.request('GET', '/step-types?type=wait')).body).toEqual({
        statusCode: 400,
        message: ['property type should not exist'],
        error: 'Bad Request',
      });
    });

    it.each(['admin', 'auditor'] as const)('answers a signed-in %s with every step type, in order', async (role) => {
      const response = await api.request('GET', '/step-types', { token: api.token(role) });
      expect(response.status).toBe(200);
      const items = response.body.items as StepTypeItem[];
      expect(items.map(({ type }) => type)).toEqual(STEP_TYPE_ORDER);
      for (const item of items) {
        expect(item).toEqual({
          type: item.type,
          title: expect.any(String),
          description: expect.any(String),
          schema: expect.any(Object),
        });
        expect(item.title).not.toBe('');
        expect(item.description).not.toBe('');
        expect(item.schema.type).toBe('object');
        expect(item.schema.additionalProperties).toBe(false);
        expect(item.schema.properties?.type).toMatchObject({ type: 'string', enum: [item.type] });
        expect(item.schema.required).toEqual(expect.arrayContaining(['id', 'type']));
      }
    });

    it('describes each field with the limits the server enforces', async () => {
      const { body } = await api.request('GET', '/step-types');
      const byType = new Map((body.items as StepTypeItem[]).map((item) => [item.type, item]));
      const sendMessage = byType.get('send_message')!;
      expect(sendMessage.title).toBe('Send message');
      expect(sendMessage.schema.required).toEqual(['id', 'type', 'text']);
      expect(sendMessage.schema.properties?.id).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' });
      expect(sendMessage.schema.properties?.text).toMatchObject({
        type: 'string',
        minLength: 1,
        maxLength: 4096,
        description: expect.stringContaining('{{contact.name}}'),
      });
      expect(sendMessage.schema.properties?.next).toMatchObject({ type: 'string', format: 'step-id' });
      const question = byType.get('ask_question')!.schema;
      expect(question.properties?.answerType).toMatchObject({ enum: ['text', 'number', 'email', 'phone', 'choice'] });
      expect(question.properties?.maxRetries).toMatchObject({ type: 'integer', minimum: 0, maximum: 10 });
      expect(question.properties?.options).toMatchObject({ type: 'array', minItems: 1, maxItems: 10 });
      expect(byType.get('wait')!.schema.properties?.seconds).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 2_592_000,
      });
      expect(body.settings).toMatchObject({
        type: 'object',
        additionalProperties: false,
        properties: { sessionTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 2_592_000 } },
      });
    });
  });

  describe('a rejected definition', () => {
    it('lists each problem with its path and step, next to the message', async () => {
      const created = await api.request('POST', '/workflows', { body: { name: 'Problems' } });
      const response = await api.request('PUT', `/workflows/${created.body.id}/definition`, {
        body: {
          steps: [
            { id: 'greet', type: 'send_message', text: '  ', next: 'nowhere' },
            { id: 'pause', type: 'wait', seconds: 0 },
            { type: 'end' },
          ],
          settings: { sessionTimeout: 60 },
        },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'Invalid workflow definition: steps[0].text (step "greet") must be a string of 1 to 4096 characters, not only whitespace; ' +
          'steps[1].seconds (step "pause") must be an integer from 1 to 2592000; ' +
          'steps[2].id is required; ' +
          'steps[0].next (step "greet") points at unknown step "nowhere"; ' +
          'settings.sessionTimeout is not a field of settings',
        problems: [
          { path: 'steps[0].text', stepId: 'greet', message: 'must be a string of 1 to 4096 characters, not only whitespace' },
          { path: 'steps[1].seconds', stepId: 'pause', message: 'must be an integer from 1 to 2592000' },
          { path: 'steps[2].id', message: 'is required' },
          { path: 'steps[0].next', stepId: 'greet', message: 'points at unknown step "nowhere"' },
          { path: 'settings.sessionTimeout', message: 'is not a field of settings' },
        ],
      });
    });

    it('that fails before the step schema (not a list) has no problems list', async () => {
      const created = await api.request('POST', '/workflows', { body: { name: 'Not a list' } });
      const response = await api.request('PUT', `/workflows/${created.body.id}/definition`, { body: { steps: 'x' } });
      expect(response.status).toBe(400);
      expect(response.body).not.toHaveProperty('problems');
    });
  });

  describe('/docs-json', () => {
    it('shows the steps of a definition as one of the step types, generated like /step-types', async () => {
      const docs = await api.request('GET', '/docs-json', { token: null });
      const stepTypes = await api.request('GET', '/step-types');
      const body = docs.body.components.schemas.PublishDefinitionDto;
      const steps = body.properties.steps as JsonSchema;
      expect(steps.type).toBe('array');
      const oneOf = steps.items?.oneOf as JsonSchema[];
      expect(oneOf).toHaveLength(7);
      expect(oneOf).toEqual((stepTypes.body.items as StepTypeItem[]).map(({ schema }) => schema));
      expect(body.properties.settings).toMatchObject({ properties: { sessionTimeoutSeconds: { type: 'integer' } } });
    });

    it('documents GET /step-types', async () => {
      const docs = await api.request('GET', '/docs-json', { token: null });
      const operation = docs.body.paths['/step-types'].get;
      expect(operation.summary).toEqual(expect.stringContaining('step types'));
      const answer = operation.responses['200'].content['application/json'].schema as { $ref: string };
      const catalog = docs.body.components.schemas[answer.$ref.replace('#/components/schemas/', '')] as JsonSchema;
      expect(catalog.properties).toHaveProperty('items');
      expect(catalog.properties?.settings).toMatchObject({ type: 'object', additionalProperties: true });
    });
  });
});
