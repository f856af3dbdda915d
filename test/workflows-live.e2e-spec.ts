import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { EVENT_STORE, type EventMetadata, type EventStore, SqliteEventStore, storedEventsOf } from '#eventstore';
import { SERVER_ROLES, type ServerRole } from '#platform';
import type { CardChange } from '../apps/server/src/workflows/live/card-change.js';
import { liveCardMessages } from '../apps/server/src/workflows/live/workflows-live.controller.js';
import { type InProcessServer, removeDir, startInProcessServer, temporaryDataDir } from './support/test-server.js';

interface SseMessage {
  event: string;
  data: any;
}

/** One open `text/event-stream` response, parsed as it arrives. */
class EventStreamClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  ended = false;
  private consumed = 0;
  private notify: (() => void) | undefined;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    void this.read();
  }

  static async open(baseUrl: string, token: string | null, query = ''): Promise<EventStreamClient> {
    const abort = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}/workflows/live${query}`, { headers, signal: abort.signal });
    return new EventStreamClient(response, abort);
  }

  /** The next message after the ones already taken that matches, skipping the others. */
  async next(matches: (message: SseMessage) => boolean = () => true, timeoutMs = 5000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((message, at) => at >= this.consumed && matches(message));
      if (index >= 0) {
        this.consumed = index + 1;
        return this.messages[index];
      }
      if (this.ended || Date.now() > deadline) {
        throw new Error(`no matching message (ended: ${this.ended}); received ${JSON.stringify(this.messages)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async untilEnded(timeoutMs = 5000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !this.ended;) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<void> {
    let buffer = '';
    let event = 'message';
    let data: string[] = [];
    try {
      const reader = this.response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) this.messages.push({ event, data: JSON.parse(data.join('\n')) });
            event = 'message';
            data = [];
          } else if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else if (line.startsWith('event:')) event = line.slice('event:'.length).trim();
          else if (line.startsWith('data:')) data.push(line.slice('data:'.length).replace(/^ /, ''));
        }
        this.notify?.();
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.notify?.();
  }
}

interface LiveServer extends InProcessServer {
  baseUrl: string;
  eventStore: SqliteEventStore;
}

/** The real server in this process, with its event store at hand to append sessions' events. */
const startLiveServer = async (roles: readonly ServerRole[] = SERVER_ROLES, dataDir = temporaryDataDir()): Promise<LiveServer> => {
  const server = await startInProcessServer(dataDir, undefined, { roles: new Set(roles) });
  const eventStore = storedEventsOf(server.app.get<symbol, EventStore>(EVENT_STORE));
  if (!(eventStore instanceof SqliteEventStore)) throw new Error('expected the embedded event store');
  return { ...server, baseUrl: server.api.baseUrl, eventStore };
};

const steps = [
  { id: 'welcome', type: 'send_message', text: 'Hi!' },
  { id: 'ask_email', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
];

const metadataIn = (workspace: string): EventMetadata => ({
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { sub: 'live-cards-test', role: 'system' },
  occurredAt: new Date().toISOString(),
  workspace,
});

const isCard =
  (id: string, fields: Record<string, unknown> = {}) =>
  (message: SseMessage) =>
    message.event === 'card' && message.data.id === id && Object.entries(fields).every(([key, value]) => message.data[key] === value);

describe('GET /workflows/live', () => {
  let server: LiveServer;
  const clients: EventStreamClient[] = [];

  beforeAll(async () => {
    server = await startLiveServer();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.app.close();
    removeDir(server.dataDir);
  });

  /** A workspace of its own per test, so no test sees another's cards. */
  const newWorkspace = () => {
    const workspace = `live-${randomUUID()}`;
    return { workspace, admin: server.api.token('admin', workspace), auditor: server.api.token('auditor', workspace) };
  };

  const watch = async (token: string): Promise<EventStreamClient> => {
    const client = await EventStreamClient.open(server.baseUrl, token);
    clients.push(client);
    expect(client.response.status).toBe(200);
    return client;
  };

  const create = async (name: string, token: string) => {
    const response = await server.api.request('POST', '/workflows', { body: { name }, token });
    expect(response.status).toBe(201);
    return response.body as { id: string; position: string };
  };

  it('refuses an anonymous caller or an invalid token with 401', async () => {
    const anonymous = await EventStreamClient.open(server.baseUrl, null);
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('content-type')).toContain('application/json');
    await anonymous.untilEnded();
    const forged = await EventStreamClient.open(server.baseUrl, 'not.a.token');
    expect(forged.response.status).toBe(401);
    await forged.untilEnded();
  });

  it('waits with its snapshot for the command of `consistentWith`; refuses a bad position or an unknown parameter with 400', async () => {
    const { admin } = newWorkspace();
    const created = await create('Just created', admin);
    const client = await EventStreamClient.open(server.baseUrl, admin, `?consistentWith=${created.position}`);
    clients.push(client);
    expect(client.response.status).toBe(200);
    expect(await client.next()).toEqual({ event: 'card', data: expect.objectContaining({ id: created.id, name: 'Just created' }) });
    client.close();

    const refusalOf = async (query: string) => (await server.api.request('GET', `/workflows/live${query}`, { token: admin })).body;
    expect(await refusalOf('?consistentWith=99999999999')).toEqual({
      statusCode: 400,
      message: 'consistentWith: position 99999999999 is ahead of the event log',
      error: 'Bad Request',
    });
    expect(await refusalOf('?since=1')).toEqual({ statusCode: 400, message: ['property since should not exist'], error: 'Bad Request' });
  });

  it('ends the stream when its token expires, so that reconnecting needs a valid one', async () => {
    const { workspace, admin } = newWorkspace();
    const created = await create('Seen while the token lasts', admin);
    const now = Math.floor(Date.now() / 1000);
    // Past its `exp` but within the clock tolerance (30 s): accepted for 3 s more.
    const expiring = server.api.tokenWithPayload(
      JSON.stringify({ sub: 'leaving', role: 'auditor', workspace, iat: now - 60, exp: now - 27 }),
    );
    const client = await watch(expiring);
    expect(await client.next()).toEqual({ event: 'card', data: expect.objectContaining({ id: created.id }) });
    await client.untilEnded(10_000);
    const again = await EventStreamClient.open(server.baseUrl, expiring);
    expect(again.response.status).toBe(401);
    await again.untilEnded();
  });

  it('answers with an event stream, not the GET /workflows/:id route', async () => {
    const { auditor } = newWorkspace();
    const client = await watch(auditor);
    expect(client.response.headers.get('content-type')).toBe('text/event-stream');
    expect(client.response.headers.get('cache-control')).toContain('no-cache');
    expect(client.response.headers.get('x-accel-buffering')).toBe('no');
    expect(client.response.headers.get('connection')).toBe('keep-alive');
    const unknown = await server.api.request('GET', `/workflows/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    const docs = await server.api.request('GET', '/docs-json', { token: null });
    expect(Object.keys(docs.body.paths['/workflows/live'].get.responses['200'].content)).toEqual(['text/event-stream']);
    client.close();
  });

  it('starts with every current card of the workspace, newest first, as GET /workflows lists them', async () => {
    const { admin, auditor } = newWorkspace();
    let last = { id: '', position: '' };
    for (const name of ['First', 'Second', 'Third']) last = await create(name, admin);
    const listed = await server.api.request('GET', `/workflows?consistentWith=${last.position}`, { token: admin });
    expect(listed.body.items.map((item: { name: string }) => item.name)).toEqual(['Third', 'Second', 'First']);

    const client = await watch(auditor);
    const snapshot = [await client.next(), await client.next(), await client.next()];
    expect(snapshot).toEqual(listed.body.items.map((item: unknown) => ({ event: 'card', data: item })));
    client.close();
  });

  it('sends the whole workspace when it has more cards than one page', async () => {
    const { workspace, auditor } = newWorkspace();
    const ids = Array.from({ length: 1001 }, () => randomUUID());
    const appended = await Promise.all(
      ids.map((workflowId, index) =>
        server.eventStore.appendToStream(
          `workflow-${workflowId}`,
          [
            {
              id: randomUUID(),
              type: 'WorkflowCreated',
              data: { workflowId, workspace, name: `Bulk ${index}`, version: 1 },
              metadata: metadataIn(workspace),
            },
          ],
          { expectedRevision: 'no_stream' },
        ),
      ),
    );
    const head = appended.map((result) => result.position).sort((a, b) => server.eventStore.comparePositions(b, a))[0];
    await server.api.request('GET', `/workflows?consistentWith=${head}`, { token: auditor });

    const client = await watch(auditor);
    const cards = new Set<string>();
    while (cards.size < ids.length) cards.add((await client.next((message) => message.event === 'card')).data.id);
    expect([...cards].sort()).toEqual([...ids].sort());
    client.close();
  });

  it('sends each change of a card, then removed when its workflow is deleted', async () => {
    const { admin, auditor } = newWorkspace();
    const client = await watch(auditor);
    const created = await create('Live one', admin);
    const first = await client.next(isCard(created.id, { name: 'Live one' }));
    expect(first.data).toEqual({
      id: created.id,
      name: 'Live one',
      activeSessions: 0,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const renamed = await server.api.request('PATCH', `/workflows/${created.id}`, { body: { name: 'Renamed' }, token: admin });
    expect(renamed.status).toBe(200);
    expect((await client.next(isCard(created.id, { name: 'Renamed' }))).data.version).toBe(1);

    const published = await server.api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps }, token: admin });
    expect(published.status).toBe(200);
    const republished = await client.next(isCard(created.id, { version: 2 }));
    expect(republished.data).toMatchObject({ name: 'Renamed', createdAt: first.data.createdAt });
    const read = await server.api.request('GET', `/workflows/${created.id}?consistentWith=${published.body.position}`, {
      token: admin,
    });
    const { steps: _steps, settings: _settings, ...readCard } = read.body;
    expect(republished.data).toEqual(readCard);

    const deleted = await server.api.request('DELETE', `/workflows/${created.id}`, { token: admin });
    expect(deleted.status).toBe(200);
    expect(await client.next((message) => message.event === 'removed')).toEqual({ event: 'removed', data: { id: created.id } });
    client.close();
  });

  /** A session of the workflow's version 2 started on a channel, straight in the log as the engine records one; its id. */
  const startSession = async (workspace: string, workflowId: string): Promise<string> => {
    const sessionId = randomUUID();
    await server.eventStore.appendToStream(
      `session-${sessionId}`,
      [
        {
          id: randomUUID(),
          type: 'SessionStarted',
          data: {
            sessionId,
            workflowId,
            workflowVersion: 2,
            workspace,
            channelId: randomUUID(),
            contactId: `contact-${sessionId}`,
            steps,
            settings: {},
            startedAt: new Date().toISOString(),
          },
          metadata: metadataIn(workspace),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return sessionId;
  };

  it('tells a deletion once, though the sessions it ends touch the card after it', async () => {
    const { workspace, admin, auditor } = newWorkspace();
    const created = await create('Deleted with sessions', admin);
    await server.api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps }, token: admin });
    const sessionIds = [await startSession(workspace, created.id), await startSession(workspace, created.id)];
    const client = await watch(auditor);
    await client.next(isCard(created.id, { activeSessions: 2 }));

    await server.api.request('DELETE', `/workflows/${created.id}`, { token: admin });
    for (const sessionId of sessionIds) {
      for (const deadline = Date.now() + 5000; ;) {
        const events = await server.eventStore.readStream(`session-${sessionId}`);
        if (events.some(({ type }) => type === 'SessionTerminated')) break;
        if (Date.now() > deadline) throw new Error(`session ${sessionId} was not terminated`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // Published in log order: once a card created after the terminations arrives, every change before it has.
    const later = await create('After the deletion', admin);
    await client.next(isCard(later.id));
    expect(client.messages.filter(({ event, data }) => event === 'removed' && data.id === created.id)).toHaveLength(1);
    client.close();
  });

  it('counts active sessions live as sessions start and end', async () => {
    const { workspace, admin, auditor } = newWorkspace();
    const created = await create('With sessions', admin);
    await server.api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps }, token: admin });
    const client = await watch(auditor);
    await client.next(isCard(created.id, { version: 2 }));

    const sessionId = await startSession(workspace, created.id);
    await client.next(isCard(created.id, { activeSessions: 1 }));

    await server.eventStore.appendToStream(
      `session-${sessionId}`,
      [
        {
          id: randomUUID(),
          type: 'SessionCompleted',
          data: { sessionId, workflowId: created.id, reason: 'flow_completed' },
          metadata: metadataIn(workspace),
        },
      ],
      { expectedRevision: 'stream_exists' },
    );
    await client.next(isCard(created.id, { activeSessions: 0 }));
    client.close();
  });

  it('never shows another workspace its cards, neither in the snapshot nor live', async () => {
    const mine = newWorkspace();
    const theirs = newWorkspace();
    const before = await create('Theirs before', theirs.admin);
    await server.api.request('GET', `/workflows?consistentWith=${before.position}`, { token: theirs.admin });
    const myClient = await watch(mine.auditor);
    const theirClient = await watch(theirs.auditor);
    await theirClient.next(isCard(before.id));

    const theirLater = await create('Theirs later', theirs.admin);
    await theirClient.next(isCard(theirLater.id));
    // Changes are published in log order, so once this later card of mine arrives, theirs would have.
    const myLater = await create('Mine later', mine.admin);
    await myClient.next(isCard(myLater.id));

    // A card may come twice (in the snapshot and as a change being published): sets, not lists.
    const idsSeenBy = (client: EventStreamClient) => new Set(client.messages.map((message) => message.data.id));
    expect(idsSeenBy(myClient)).toEqual(new Set([myLater.id]));
    expect(idsSeenBy(theirClient)).toEqual(new Set([before.id, theirLater.id]));
    myClient.close();
    theirClient.close();
  });

  it('follows the log only while a client is connected, once for all of them', async () => {
    for (const client of clients) client.close();
    const followedBy = () => server.eventStore.stats().openSubscriptions;
    const settles = async (expected: number) => {
      for (const deadline = Date.now() + 5000; followedBy() !== expected;) {
        if (Date.now() > deadline) throw new Error(`${followedBy()} subscriptions to the log, expected ${expected}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    // What the projections and engine of this server follow once the closed streams are gone.
    let withoutStreams = -1;
    while (withoutStreams !== followedBy()) {
      withoutStreams = followedBy();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const { admin, auditor } = newWorkspace();
    const first = await watch(auditor);
    const second = await watch(admin);
    const created = await create('Watched twice', admin);
    await first.next(isCard(created.id));
    await second.next(isCard(created.id));
    expect(followedBy()).toBe(withoutStreams + 1);

    first.close();
    await first.untilEnded();
    const renamed = await server.api.request('PATCH', `/workflows/${created.id}`, { body: { name: 'Still watched' }, token: admin });
    expect(renamed.status).toBe(200);
    await second.next(isCard(created.id, { name: 'Still watched' }));
    expect(followedBy()).toBe(withoutStreams + 1);

    second.close();
    await settles(withoutStreams);
  });
});

describe('GET /workflows/live with the projections in another process', () => {
  it('still sends a card created before connecting that the projection had not applied yet', async () => {
    const dataDir = temporaryDataDir();
    const api = await startLiveServer(['api'], dataDir);
    let projections: LiveServer | undefined;
    try {
      const created = await api.api.request('POST', '/workflows', { body: { name: 'Not projected yet' } });
      expect(created.status).toBe(201);
      const client = await EventStreamClient.open(api.baseUrl, api.api.token('auditor'));
      expect(client.response.status).toBe(200);
      // Without a projection the snapshot is empty: the card can only come from following the log.
      projections = await startLiveServer(['projections'], dataDir);
      const card = await client.next((message) => message.event === 'card');
      expect(card.data).toMatchObject({ id: created.body.id, name: 'Not projected yet', version: 1 });
      expect(client.messages).toHaveLength(1);
      client.close();
    } finally {
      await api.app.close();
      await projections?.app.close();
      removeDir(dataDir);
    }
  });
});

describe('GET /workflows/live at shutdown', () => {
  it('ends open streams so that the server closes without waiting for their clients', async () => {
    const server = await startLiveServer();
    try {
      const client = await EventStreamClient.open(server.baseUrl, server.api.token('auditor'));
      expect(client.response.status).toBe(200);
      const created = await server.api.request('POST', '/workflows', { body: { name: 'Before shutdown' } });
      await client.next(isCard(created.body.id));
      const started = Date.now();
      await server.app.close();
      await client.untilEnded();
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      removeDir(server.dataDir);
    }
  });
});

describe('live card messages', () => {
  it('turns changes into card and removed events, with a keep-alive comment every interval', async () => {
    const changes = new Subject<CardChange>();
    const received: unknown[] = [];
    let completed = false;
    const subscription = liveCardMessages(changes, 20).subscribe({
      next: (message) => received.push(message),
      complete: () => (completed = true),
    });
    const card = { id: 'w-1', name: 'A', activeSessions: 2, version: 3, createdAt: 't0', updatedAt: 't1' };
    changes.next({ kind: 'card', card });
    changes.next({ kind: 'removed', id: 'w-1' });
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(received.slice(0, 2)).toEqual([
      { type: 'card', data: card },
      { type: 'removed', data: { id: 'w-1' } },
    ]);
    expect(received.length).toBeGreaterThanOrEqual(4);
    expect(received.slice(2).every((message) => JSON.stringify(message) === '{"comment":"keep-alive"}')).toBe(true);

    changes.complete();
    expect(completed).toBe(true);
    expect(subscription.closed).toBe(true);
    const afterCompletion = received.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.length).toBe(afterCompletion);
  });
});
