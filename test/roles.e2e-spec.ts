import { afterAll, describe, expect, it } from '@jest/globals';
import { WORKFLOWS_PROJECTION } from '#readmodel';
import { Visitor, activeSessionsOf, eventually, flowOnWebchat } from './support/conversations.js';
import { type ChildServer, newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

/** Server processes of the suite on one DATA_DIR, each started with its roles; all stopped after it. */
const processesSharingOneDataDir = () => {
  const dataDir = temporaryDataDir();
  const secret = newSecret();
  const servers: ChildServer[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    removeDir(dataDir);
  });
  const start = async (roles: string, env: Record<string, string> = {}) => {
    const server = await spawnServer(dataDir, secret, { ROLES: roles, ...env });
    servers.push(server);
    return server;
  };
  return { servers, start };
};

describe('server roles', () => {
  const { servers, start } = processesSharingOneDataDir();

  it('splits the API and the projections over processes sharing the embedded stores', async () => {
    const api = await start('api');
    expect((await api.api.request('GET', '/health', { token: null })).body.projections).toEqual({});

    const created = await api.api.request('POST', '/workflows', { body: { name: 'Split' } });
    expect(created.status).toBe(201);

    const projections = await start('projections');
    // Asked past the contract check: the document describes the API, which a process without the api role does not serve.
    expect((await fetch(`${projections.api.baseUrl}/workflows`)).status).toBe(404);
    // Nor does it offer those documents.
    expect(
      await Promise.all(['/docs', '/docs-json'].map(async (path) => (await fetch(`${projections.api.baseUrl}${path}`)).status)),
    ).toEqual([404, 404]);
    expect(projections.output()).toMatch(/Serving http:\/\/\S+ as projections;/);

    const read = await api.api.request('GET', `/workflows/${created.body.id}?consistentWith=${created.body.position}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Split');

    // A second projections process is safe: the checkpoint guard makes the two take turns.
    await start('projections');
    const more = await Promise.all(
      Array.from({ length: 20 }, (_, index) => api.api.request('POST', '/workflows', { body: { name: `More ${index}` } })),
    );
    const head = (await api.api.request('GET', '/health', { token: null })).body.logPosition;
    const list = await api.api.request('GET', `/workflows?limit=1000&consistentWith=${head}`);
    const ids: string[] = list.body.items.map((card: { id: string }) => card.id);
    expect(ids).toHaveLength(21);
    expect(new Set(ids)).toEqual(new Set([created.body.id, ...more.map((response) => response.body.id)]));
    for (const server of servers.slice(1)) {
      const status = (await server.api.request('GET', '/health', { token: null })).body.projections[WORKFLOWS_PROJECTION];
      expect(status).toBeDefined();
    }
  });

  it('runs the sessions in an engine process of their own', async () => {
    const [api] = servers;
    const engine = await start('engine');
    expect((await engine.api.request('GET', '/health', { token: null })).body.engine).toEqual(
      expect.objectContaining({ position: expect.any(String) }),
    );
    expect((await api.api.request('GET', '/health', { token: null })).body.engine).toBeUndefined();
    const { channelId } = await flowOnWebchat(api.api, [{ id: 'hello', type: 'send_message', text: 'Hello from the engine' }]);
    const visitor = new Visitor(api.api, channelId);
    await visitor.say('hi');
    expect(await visitor.awaitReplies(1)).toEqual(['Hello from the engine']);
  });
});

describe('two engine processes', () => {
  const { start } = processesSharingOneDataDir();
  const CAP = 3;

  it('keep the session cap between them, and one carries on with the timers the other owed once that one is killed', async () => {
    const api = await start('api,projections');
    const capped = { MAX_OPEN_SESSIONS_PER_CHANNEL: String(CAP) };
    const [first, second] = [await start('engine', capped), await start('engine', capped)];
    // Sessions wait for an answer, and expire 3 s after the contact's last message.
    const { workflowId, channelId } = await flowOnWebchat(
      api.api,
      [
        { id: 'ask', type: 'ask_question', text: 'Your order number?', variable: 'order' },
        { id: 'thanks', type: 'send_message', text: 'Thanks' },
      ],
      { settings: { sessionTimeoutSeconds: 3 } },
    );
    const visitors = Array.from({ length: 8 }, () => new Visitor(api.api, channelId));
    for (const visitor of visitors) {
      await visitor.say('Hello');
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const engineReached = async (engine: ChildServer, position: string) =>
      eventually(
        async () => (await engine.api.request('GET', '/health', { token: null })).body.engine?.position as string,
        (reached) => reached !== undefined && BigInt(reached) >= BigInt(position),
      );
    const head = (await api.api.request('GET', '/health', { token: null })).body.logPosition as string;
    await engineReached(first, head);
    await engineReached(second, head);
    expect(await activeSessionsOf(api.api, workflowId)).toBe(CAP);

    first.process.kill('SIGKILL');
    await first.exited;
    // Due 3 s after the last message: the engine left alone fires every one of them.
    await eventually(
      async () => activeSessionsOf(api.api, workflowId),
      (active) => active === 0,
      15_000,
    );
    const ended = await api.api.request('GET', `/workflows/${workflowId}/sessions?status=ended`);
    expect(ended.body.items.map(({ endReason }: { endReason: string }) => endReason)).toEqual(Array(CAP).fill('expired'));
  }, 60_000);
});
