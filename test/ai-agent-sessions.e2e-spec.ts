import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Visitor, eventually, flowOnWebchat, eventsOfType } from './support/conversations.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const API_KEY = 'sk-agent-secret-0123456789';

interface ChatRequest {
  headers: IncomingMessage['headers'];
  body: { model: string; messages: { role: string; content: string }[] };
}

/**
 * An OpenAI-compatible chat-completions endpoint on loopback. What it does depends on the
 * customer's last words: "human" asks for a hand-off, "boom" fails with 500, "hang" never answers.
 */
class AgentStandIn {
  readonly requests: ChatRequest[] = [];
  private readonly server: Server = createServer((request, response) => this.answer(request, response));
  private readonly hanging: ServerResponse[] = [];

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(raw) as ChatRequest['body'];
      this.requests.push({ headers: request.headers, body });
      const said = body.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
      const turn = body.messages.filter((message) => message.role === 'user').length;
      const reply = (message: object) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ choices: [{ index: 0, message, finish_reason: 'stop' }] }));
      };
      if (said.includes('hang')) return void this.hanging.push(response);
      if (said.includes('boom')) {
        response.writeHead(500, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ error: { message: 'the model is overloaded' } }));
      }
      if (said.includes('human')) {
        return reply({
          role: 'assistant',
          content: 'Let me get you a person.',
          tool_calls: [
            { id: 'call-1', type: 'function', function: { name: 'handoff_to_human', arguments: '{"reason":"asked for a person"}' } },
          ],
        });
      }
      reply({ role: 'assistant', content: `Agent reply ${turn} to "${said}"` });
    });
  }
}

const agentFlow = [
  { id: 'greet', type: 'send_message', text: 'Hello!' },
  { id: 'agent', type: 'invoke_ai_agent', instructions: 'You help with orders.', handoffTeam: 'support', maxTurns: 2 },
  { id: 'bye', type: 'send_message', text: 'Thanks for chatting' },
];

/** The SessionRoutedToTeam events in the server's log. */
const routings = (dataDir: string): { team: string; reason?: string; sessionId: string }[] => eventsOfType(dataDir, 'SessionRoutedToTeam');

describe('AI agent steps', () => {
  const agent = new AgentStandIn();
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    const url = await agent.start();
    server = await startInProcessServer(undefined, undefined, {
      aiAgent: { url, apiKey: API_KEY, model: 'test-model', timeoutMs: 500 },
    });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    await agent.stop();
    removeDir(server.dataDir);
  });

  const sessionOf = async (workflowId: string) => {
    const listed = await eventually(
      () => api.request('GET', `/workflows/${workflowId}/sessions?status=ended`),
      (response) => response.body.items.length === 1,
    );
    return (await api.request('GET', `/sessions/${listed.body.items[0].id}`)).body;
  };

  it('converses for maxTurns with the conversation so far, then goes on with the flow', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, agentFlow);
    const visitor = new Visitor(api, channelId);
    await visitor.say('Where is my order?');
    expect(await visitor.awaitReplies(2)).toEqual(['Hello!', 'Agent reply 1 to "Where is my order?"']);
    await visitor.say('It is order 42');
    expect((await visitor.awaitReplies(3))[2]).toBe('Agent reply 2 to "It is order 42"');
    await visitor.say('ok');
    expect((await visitor.awaitReplies(4))[3]).toBe('Thanks for chatting');

    const second = agent.requests.find((request) => request.body.messages.some((message) => message.content === 'It is order 42'));
    expect(second?.body.model).toBe('test-model');
    expect(second?.body.messages).toEqual([
      { role: 'system', content: 'You help with orders.' },
      { role: 'user', content: 'Where is my order?' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'assistant', content: 'Agent reply 1 to "Where is my order?"' },
      { role: 'user', content: 'It is order 42' },
    ]);
    expect(second?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(second?.headers['idempotency-key']).toEqual(expect.any(String));
    expect(await sessionOf(workflowId)).toMatchObject({ endReason: 'flow_finished' });
  });

  it.each([
    [
      'the agent asks for it',
      'I want a human',
      'the AI agent handed the conversation over: asked for a person',
      ['Hello!', 'Let me get you a person.'],
    ],
    ['the agent fails', 'boom', 'the AI agent answered HTTP 500: the model is overloaded', ['Hello!']],
    ['the agent does not answer in time', 'hang', 'the AI agent did not answer within 500 ms', ['Hello!']],
  ])('hands over to the handoff team when %s, recording why', async (_, said, reason, replies) => {
    const { workflowId, channelId } = await flowOnWebchat(api, agentFlow);
    const visitor = new Visitor(api, channelId);
    await visitor.say(said);
    const session = await sessionOf(workflowId);
    expect(session).toMatchObject({ status: 'ended', endReason: 'routed_to_team', team: 'support', currentStepId: 'agent' });
    expect(await visitor.replies()).toEqual(replies);
    expect(routings(server.dataDir)).toContainEqual({ sessionId: session.id, stepId: 'agent', team: 'support', reason });
  });

  it('never writes the API key into the log', () => {
    const files = ['events.sqlite', 'events.sqlite-wal'].map((file) => join(server.dataDir, file));
    for (const file of files) {
      let content = '';
      try {
        content = readFileSync(file).toString('latin1');
      } catch {
        continue; // no WAL file at the moment
      }
      expect(content.includes(API_KEY)).toBe(false);
    }
  });
});

describe('AI agent steps without an agent configured', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcessServer();
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('hand over to the handoff team at once, recording that no agent is configured', async () => {
    const { workflowId, channelId } = await flowOnWebchat(server.api, agentFlow);
    const visitor = new Visitor(server.api, channelId);
    await visitor.say('Where is my order?');
    const listed = await eventually(
      () => server.api.request('GET', `/workflows/${workflowId}/sessions?status=ended`),
      (response) => response.body.items.length === 1,
    );
    expect(listed.body.items[0].endReason).toBe('routed_to_team');
    expect(routings(server.dataDir)).toEqual([
      expect.objectContaining({ team: 'support', reason: 'the AI agent is not configured (AI_AGENT_URL is not set)' }),
    ]);
  });
  it("tells the customer the step's handoffText as it hands over", async () => {
    const steps = agentFlow.map((step) =>
      step.type === 'invoke_ai_agent' ? { ...step, handoffText: 'A colleague from support will answer here.' } : step,
    );
    const { channelId } = await flowOnWebchat(server.api, steps);
    const visitor = new Visitor(server.api, channelId);
    await visitor.say('Where is my order?');
    expect(await visitor.awaitReplies(2)).toEqual(['Hello!', 'A colleague from support will answer here.']);
  });
});
