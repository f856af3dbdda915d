import { describe, expect, it } from '@jest/globals';
import { type Answer, jsonAnswer, refusingBaseUrl, textAnswer, useLoopbackServer } from '../http/loopback-server.fixture.js';
import {
  type AgentTurnRequest,
  type AiAgentConfig,
  createAiAgent,
  DEFAULT_AI_AGENT_MODEL,
  DEFAULT_AI_AGENT_TIMEOUT_MS,
  loadAiAgentConfig,
  OpenAiCompatibleAgent,
  UnconfiguredAgent,
} from './ai-agent.client.js';

const API_KEY = 'sk-test-4f9c2e71b0d8';

const completion = (message: Record<string, unknown>): Answer =>
  jsonAnswer(200, { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', ...message } }] });

const turn: AgentTurnRequest = {
  requestId: 'session-7:turn-3',
  instructions: 'Answer questions about opening hours.',
  history: [
    { role: 'customer', text: 'Hi, are you open on Sunday?' },
    { role: 'agent', text: 'We are open from 10 to 16 on Sundays.' },
    { role: 'customer', text: 'And on holidays?' },
  ],
};

describe('OpenAiCompatibleAgent', () => {
  const server = useLoopbackServer();

  const config = (overrides: Partial<AiAgentConfig> = {}): AiAgentConfig => ({
    url: `${server.baseUrl}/v1`,
    apiKey: API_KEY,
    model: 'test-model',
    timeoutMs: 5000,
    ...overrides,
  });
  const agent = (overrides: Partial<AiAgentConfig> = {}) => new OpenAiCompatibleAgent(config(overrides));

  describe('request', () => {
    it('posts the model, the instructions as system message, the history in order and the hand-off tool', async () => {
      server.answer = completion({ content: 'Closed on holidays.' });

      await agent().respond(turn);

      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual({
        model: 'test-model',
        messages: [
          { role: 'system', content: 'Answer questions about opening hours.' },
          { role: 'user', content: 'Hi, are you open on Sunday?' },
          { role: 'assistant', content: 'We are open from 10 to 16 on Sundays.' },
          { role: 'user', content: 'And on holidays?' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'handoff_to_human',
              description: 'Hand the conversation to a human team when the customer asks for a person or you cannot help',
              parameters: {
                type: 'object',
                properties: { reason: { type: 'string', description: expect.any(String) } },
                required: ['reason'],
              },
            },
          },
        ],
        tool_choice: 'auto',
      });
    });

    it('sends the API key as bearer token and the request id as idempotency key', async () => {
      server.answer = completion({ content: 'Closed on holidays.' });

      await agent().respond(turn);

      expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(server.requests[0].headers['idempotency-key']).toBe('session-7:turn-3');
    });

    it('sends no Authorization header when no API key is configured', async () => {
      server.answer = completion({ content: 'Closed on holidays.' });

      await agent({ apiKey: undefined }).respond(turn);

      expect(server.requests[0].headers).not.toHaveProperty('authorization');
      expect(server.requests[0].headers['idempotency-key']).toBe('session-7:turn-3');
    });

    it.each([
      ['trailing slashes', '/v1//', '/v1/chat/completions'],
      ['the full endpoint', '/v1/chat/completions', '/v1/chat/completions'],
      ['the full endpoint with a trailing slash', '/openai/chat/completions/', '/openai/chat/completions'],
    ])('accepts a URL with %s', async (_, path, expectedPath) => {
      server.answer = completion({ content: 'Closed on holidays.' });

      await agent({ url: `${server.baseUrl}${path}` }).respond(turn);

      expect(server.requests[0].path).toBe(expectedPath);
    });
  });

  describe('answers', () => {
    it('returns a plain reply', async () => {
      server.answer = completion({ content: 'We are closed on public holidays.' });

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'reply',
        text: 'We are closed on public holidays.',
        handoff: false,
      });
    });

    it('returns a hand-off with the text written alongside the tool call', async () => {
      server.answer = completion({
        content: 'Let me get a colleague for you.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'handoff_to_human', arguments: '{"reason":"asks for a person"}' } },
        ],
      });

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'reply',
        text: 'Let me get a colleague for you.',
        handoff: { reason: 'asks for a person' },
      });
    });

    it.each([
      ['no JSON', 'asks for a person'],
      ['no reason', '{"why":"asks for a person"}'],
      ['a reason that is no string', '{"reason":42}'],
      ['a blank reason', '{"reason":" \\n "}'],
    ])('returns a hand-off without a reason when the call carries %s', async (_, toolArguments) => {
      server.answer = completion({
        content: 'One moment.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'handoff_to_human', arguments: toolArguments } }],
      });

      await expect(agent().respond(turn)).resolves.toEqual({ kind: 'reply', text: 'One moment.', handoff: {} });
    });

    it('gives the reason as one line of at most 300 characters', async () => {
      const reason = `wants\n\ta person ${'x'.repeat(400)}`;
      server.answer = completion({
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'handoff_to_human', arguments: JSON.stringify({ reason }) } }],
      });

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'reply',
        text: '',
        handoff: { reason: `wants a person ${'x'.repeat(285)}…` },
      });
    });

    it('returns a hand-off with empty text when the tool call comes without content', async () => {
      server.answer = completion({
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'handoff_to_human', arguments: '{}' } }],
      });

      await expect(agent().respond(turn)).resolves.toEqual({ kind: 'reply', text: '', handoff: {} });
    });

    it('ignores tool calls other than the hand-off', async () => {
      server.answer = completion({
        content: 'Closed on holidays.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look_up_calendar', arguments: '{}' } }],
      });

      await expect(agent().respond(turn)).resolves.toEqual({ kind: 'reply', text: 'Closed on holidays.', handoff: false });
    });

    it.each([
      ['blank', '  \n '],
      ['null', null],
    ])('fails on a %s reply without hand-off', async (_, content) => {
      server.answer = completion({ content });

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'failure',
        reason: 'the AI agent answered with an empty reply',
      });
    });
  });

  describe('failures', () => {
    it('reports the HTTP status and the error message from the body', async () => {
      server.answer = jsonAnswer(500, {
        error: { message: 'The server had an error while processing your request.', type: 'server_error' },
      });

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'failure',
        reason: 'the AI agent answered HTTP 500: The server had an error while processing your request.',
      });
    });

    it('reports only the status when the error body is not JSON', async () => {
      server.answer = textAnswer(502, '<html>Bad Gateway</html>', 'text/html');

      await expect(agent().respond(turn)).resolves.toEqual({ kind: 'failure', reason: 'the AI agent answered HTTP 502' });
    });

    it('cuts a long server error message to 200 characters', async () => {
      server.answer = jsonAnswer(503, { error: { message: 'x'.repeat(1000) } });

      const outcome = await agent().respond(turn);

      expect(outcome.kind).toBe('failure');
      const reason = outcome.kind === 'failure' ? outcome.reason : '';
      expect(reason.startsWith('the AI agent answered HTTP 503: xxx')).toBe(true);
      expect(reason.match(/x/g)).toHaveLength(200);
    });

    it('keeps the API key out of the reason when the server echoes it back', async () => {
      server.answer = jsonAnswer(401, {
        error: { message: `Incorrect API key provided: ${API_KEY}. Check ${API_KEY} again.` },
      });

      const outcome = await agent().respond(turn);

      expect(outcome).toEqual({
        kind: 'failure',
        reason: 'the AI agent answered HTTP 401: Incorrect API key provided: ***. Check *** again.',
      });
      expect(JSON.stringify(outcome)).not.toContain(API_KEY);
    });

    it('gives up after the timeout when the server never answers', async () => {
      server.answer = server.hold;
      const startedAt = Date.now();

      const outcome = await agent({ timeoutMs: 200 }).respond(turn);

      expect(outcome).toEqual({ kind: 'failure', reason: 'the AI agent did not answer within 200 ms' });
      expect(Date.now() - startedAt).toBeLessThan(3000);
    });

    it('gives up after the timeout when the body stops half way', async () => {
      server.answer = server.bodyStoppingAfter('{"choices":[');

      await expect(agent({ timeoutMs: 200 }).respond(turn)).resolves.toEqual({
        kind: 'failure',
        reason: 'the AI agent did not answer within 200 ms',
      });
    });

    it('reports a refused connection', async () => {
      const outcome = await agent({ url: `${await refusingBaseUrl()}/v1` }).respond(turn);

      expect(outcome.kind).toBe('failure');
      expect(outcome.kind === 'failure' ? outcome.reason : '').toMatch(/^the AI agent could not be reached: .*ECONNREFUSED/);
    });

    it('reports a body that is not JSON', async () => {
      server.answer = textAnswer(200, '{"choices": [', 'application/json');

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'failure',
        reason: 'the AI agent answered HTTP 200 with a body that is not JSON',
      });
    });

    it.each([
      ['no choices', { object: 'chat.completion' }],
      ['an empty choices list', { choices: [] }],
      ['a choice without message', { choices: [{ index: 0 }] }],
      ['content that is not text', { choices: [{ message: { content: 42 } }] }],
    ])('reports an answer with %s', async (_, payload) => {
      server.answer = jsonAnswer(200, payload);

      await expect(agent().respond(turn)).resolves.toEqual({
        kind: 'failure',
        reason: 'the AI agent answered without a readable choices[0].message',
      });
    });

    it('turns an exception from fetch itself into a failure without the key', async () => {
      const throwingFetch: typeof fetch = () => {
        throw new Error(`refused to send ${API_KEY}`);
      };

      const outcome = await new OpenAiCompatibleAgent(config(), throwingFetch).respond(turn);

      expect(outcome).toEqual({ kind: 'failure', reason: 'the AI agent could not be reached: refused to send ***' });
    });
  });
});

describe('UnconfiguredAgent', () => {
  it('fails every request saying AI_AGENT_URL is not set', async () => {
    await expect(new UnconfiguredAgent().respond(turn)).resolves.toEqual({
      kind: 'failure',
      reason: 'the AI agent is not configured (AI_AGENT_URL is not set)',
    });
  });
});

describe('createAiAgent', () => {
  it('builds the unconfigured agent without config and the HTTP agent with one', () => {
    expect(createAiAgent(undefined)).toBeInstanceOf(UnconfiguredAgent);
    expect(createAiAgent({ url: 'http://127.0.0.1:1', model: 'm', timeoutMs: 1000 })).toBeInstanceOf(OpenAiCompatibleAgent);
  });
});

describe('loadAiAgentConfig', () => {
  it.each([{}, { AI_AGENT_URL: '' }, { AI_AGENT_URL: '   ', AI_AGENT_API_KEY: API_KEY }])(
    'is undefined without AI_AGENT_URL (%j)',
    (env) => {
      expect(loadAiAgentConfig(env)).toBeUndefined();
    },
  );

  it('fills in the default model and timeout and leaves out an empty key', () => {
    expect(loadAiAgentConfig({ AI_AGENT_URL: 'https://llm.example.com/v1', AI_AGENT_API_KEY: '' })).toEqual({
      url: 'https://llm.example.com/v1',
      model: DEFAULT_AI_AGENT_MODEL,
      timeoutMs: DEFAULT_AI_AGENT_TIMEOUT_MS,
    });
    expect(DEFAULT_AI_AGENT_MODEL).toBe('gpt-4o-mini');
    expect(DEFAULT_AI_AGENT_TIMEOUT_MS).toBe(20_000);
  });

  it('reads every variable', () => {
    expect(
      loadAiAgentConfig({
        AI_AGENT_URL: 'http://localhost:11434/v1',
        AI_AGENT_API_KEY: API_KEY,
        AI_AGENT_MODEL: 'llama3.1',
        AI_AGENT_TIMEOUT_MS: '4500',
      }),
    ).toEqual({ url: 'http://localhost:11434/v1', apiKey: API_KEY, model: 'llama3.1', timeoutMs: 4500 });
  });

  it.each(['not a url', 'ftp://llm.example.com/v1', 'file:///etc/passwd', 'llm.example.com/v1'])('refuses AI_AGENT_URL %j', (url) => {
    expect(() => loadAiAgentConfig({ AI_AGENT_URL: url })).toThrow('AI_AGENT_URL');
  });

  it('leaves a URL that cannot be parsed out of the error, since it may hold credentials', () => {
    expect(() => loadAiAgentConfig({ AI_AGENT_URL: '//user:s3cret@llm.example.com/v1' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it.each(['0', '-5', '1.5', 'soon', '20s', '1e4'])('refuses AI_AGENT_TIMEOUT_MS %j, with or without AI_AGENT_URL', (timeout) => {
    expect(() => loadAiAgentConfig({ AI_AGENT_URL: 'https://llm.example.com', AI_AGENT_TIMEOUT_MS: timeout })).toThrow(
      'AI_AGENT_TIMEOUT_MS',
    );
    expect(() => loadAiAgentConfig({ AI_AGENT_TIMEOUT_MS: timeout })).toThrow('AI_AGENT_TIMEOUT_MS');
  });
});
