import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const steps = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}!' },
  { id: 'ask_email', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
  { id: 'handoff', type: 'route_to_team', team: 'support' },
];

describe('Workflows HTTP API', () => {
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

  const create = async (name: string, token?: string) => {
    const response = await api.request('POST', '/workflows', { body: { name }, token });
    expect(response.status).toBe(201);
    return response.body as { id: string; name: string; version: number; position: string };
  };

  describe('name validation', () => {
    it.each([
      ['missing', {}],
      ['null', { name: null }],
      ['a number', { name: 42 }],
      ['an array', { name: ['a'] }],
      ['empty', { name: '' }],
      ['whitespace only', { name: '   \t ' }],
      ['over 120 characters', { name: 'x'.repeat(121) }],
    ])('rejects a name that is %s with 400 naming the field', async (_case, body) => {
      const response = await api.request('POST', '/workflows', { body });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('Bad Request');
      expect(JSON.stringify(response.body.message)).toContain('name');
    });

    it.each([
      [{}, 'name is required'],
      [{ name: 42 }, 'name must be a string'],
      [{ name: ' ' }, 'name must not be empty or whitespace only'],
      [{ name: 'a\u0000b' }, 'name must not contain control characters'],
      // Stored as U+FFFD by the read models: the name read back differed from the one answered.
      [{ name: 'a\ud800b' }, 'name must not contain unpaired surrogates'],
      [{ name: 'a\udc00' }, 'name must not contain unpaired surrogates'],
      [{ name: '🚀'.repeat(121) }, 'name must be at most 120 characters'],
    ])('explains %j with exactly one message', async (body, message) => {
      const response = await api.request('POST', '/workflows', { body });
      expect(response.body).toEqual({ statusCode: 400, message: [message], error: 'Bad Request' });
    });

    it('counts emoji as one character each', async () => {
      const created = await create('🚀'.repeat(120));
      expect(created.name).toBe('🚀'.repeat(120));
    });

    it('accepts 120 characters after trimming and stores the trimmed name', async () => {
      const name = 'y'.repeat(120);
      const created = await create(`  ${name}  `);
      expect(created.name).toBe(name);
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${created.position}`);
      expect(read.body.name).toBe(name);
    });

    it('refuses names every object inherits as unknown properties, in bodies and queries', async () => {
      for (const inherited of ['toString', 'valueOf', 'hasOwnProperty']) {
        const created = await api.request('POST', '/workflows', { rawBody: `{"name":"ok","${inherited}":1}` });
        expect(created.body).toEqual({ statusCode: 400, message: [`property ${inherited} should not exist`], error: 'Bad Request' });
        const listed = await api.request('GET', `/workflows?${inherited}=1`);
        expect(listed.body).toEqual({ statusCode: 400, message: [`property ${inherited} should not exist`], error: 'Bad Request' });
      }
    });

    it('rejects unknown properties, malformed JSON and an invalid rename', async () => {
      const extra = await api.request('POST', '/workflows', { body: { name: 'ok', colour: 'red' } });
      expect(extra.status).toBe(400);
      expect(JSON.stringify(extra.body.message)).toContain('colour');
      const malformed = await api.request('POST', '/workflows', { rawBody: '{"name": ' });
      expect(malformed.body).toEqual({ statusCode: 400, message: 'The body is not valid JSON', error: 'Bad Request' });
      const empty = await api.request('POST', '/workflows', { rawBody: '' });
      expect(empty.status).toBe(400);
      const created = await create('To rename');
      const rename = await api.request('PATCH', `/workflows/${created.id}`, { body: { name: ' ' } });
      expect(rename.status).toBe(400);
      expect(JSON.stringify(rename.body.message)).toContain('name');
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${created.position}`);
      expect(read.body.name).toBe('To rename');
    });
  });

  describe('request bodies', () => {
    it.each([
      ['text/plain', 'name=x'],
      ['application/x-www-form-urlencoded', 'name=x'],
      ['application/json-patch+json', '[{"op":"add","path":"/name","value":"x"}]'],
    ])('answers 415 for a %s body', async (contentType, rawBody) => {
      const response = await api.request('POST', '/workflows', { rawBody, headers: { 'content-type': contentType } });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    });

    it.each(['utf-16', 'latin1', 'bogus', ''])('answers 415 naming the UTF-8 rule for JSON declared as charset=%s', async (charset) => {
      const response = await api.request('POST', '/workflows', {
        rawBody: '{"name":"Declared"}',
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expect(response.body).toEqual({
        statusCode: 415,
        message: 'JSON bodies must be UTF-8: send application/json with no charset or with charset=utf-8',
        error: 'Unsupported Media Type',
      });
    });

    it.each([
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=UTF-8',
      'application/json; charset="utf-8"',
    ])('reads a body sent as %s', async (contentType) => {
      const response = await api.request('POST', '/workflows', { rawBody: '{"name":"Grüße"}', headers: { 'content-type': contentType } });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Grüße');
    });

    it('refuses an object of 100,000 members at once, without holding up other requests', async () => {
      const wide = JSON.stringify({
        name: 'Wide',
        x: Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [String(index), 0])),
      });
      const startedAt = performance.now();
      const [response, health] = await Promise.all([
        api.request('POST', '/workflows', { rawBody: wide }),
        api.request('GET', '/health', { token: null }),
      ]);
      expect([response.status, response.body.message]).toEqual([400, 'body.x has more than 256 properties']);
      expect(health.status).toBe(200);
      // Validation took 8 s of the event loop for this body, every other request waiting.
      expect(performance.now() - startedAt).toBeLessThan(2000);
    });

    it('refuses bodies nested deeper than 32 levels with 400, not a crash', async () => {
      const created = await create('Deep');
      const deep = `{"steps":[{"id":"a","type":"end","x":${'['.repeat(5000)}${']'.repeat(5000)}}]}`;
      const response = await api.request('PUT', `/workflows/${created.id}/definition`, { rawBody: deep });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('nests deeper than 32 levels');
    });

    it.each(['null', '[{"name":"x"}]', '"x"', '42'])(
      'refuses the JSON body %s, which is no object, on every route that reads a body',
      async (rawBody) => {
        const created = await create('Bodies');
        for (const [method, path] of [
          ['POST', '/workflows'],
          ['PATCH', `/workflows/${created.id}`],
          ['PUT', `/workflows/${created.id}/definition`],
          ['POST', '/channels'],
        ]) {
          const response = await api.request(method, path, { rawBody });
          expect([path, response.body]).toEqual([
            path,
            { statusCode: 400, message: 'The request body must be a JSON object', error: 'Bad Request' },
          ]);
        }
      },
    );

    it.each([
      ['at the top', '{"name":"ok","constructor":{"x":1}}', 'body has the forbidden property "constructor"'],
      ['inside', '{"name":"ok","x":{"__proto__":{"admin":true}}}', 'body.x has the forbidden property "__proto__"'],
    ])('refuses prototype keys %s with 400 naming where they are', async (_case, rawBody, message) => {
      const response = await api.request('POST', '/workflows', { rawBody });
      expect(response.body).toEqual({ statusCode: 400, message, error: 'Bad Request' });
    });

    it.each([
      [{ steps: [], expectedVersion: null }, 'expectedVersion must be a whole number'],
      [{ steps: [], expectedVersion: 1e300 }, 'expectedVersion must be at most 2147483647'],
      [{ steps: [], expectedVersion: 0 }, 'expectedVersion must be at least 1'],
      [{ steps: [], settings: [] }, 'settings must be an object'],
      [{ steps: [1] }, 'steps must contain only objects'],
      [{}, 'steps is required'],
    ])('refuses the definition body %j with 400', async (body, message) => {
      const created = await create('Shapes');
      const response = await api.request('PUT', `/workflows/${created.id}/definition`, { body });
      expect(response.body).toEqual({ statusCode: 400, message: [message], error: 'Bad Request' });
    });

    it('hands unknown step fields to the step schema, which names them', async () => {
      const created = await create('Strict steps');
      const response = await api.request('PUT', `/workflows/${created.id}/definition`, {
        body: { steps: [{ id: 'hello', type: 'send_message', text: 'hi', colour: 'red' }] },
      });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('colour');
      expect(response.body.message).toContain('hello');
    });

    it('answers 401 to a caller without a token before looking at what it sent', async () => {
      for (const [rawBody, contentType] of [
        ['{"name": ', 'application/json'],
        ['name=x', 'text/plain'],
        ['{"name":"x","__proto__":1}', 'application/json'],
      ]) {
        const response = await api.request('POST', '/workflows', { rawBody, headers: { 'content-type': contentType }, token: null });
        expect([rawBody, response.status]).toEqual([rawBody, 401]);
      }
    });

    it('refuses a body on a command that takes none, and records nothing; none, null or {} are fine', async () => {
      const created = await create('Takes no body');
      const headOf = async () => (await api.request('GET', '/health', { token: null })).body.logPosition as string;
      const head = await headOf();
      const commands: [string, string][] = [
        ['POST', `/workflows/${created.id}/deactivate-sessions`],
        ['POST', `/workflows/${created.id}/try-it`],
        ['DELETE', `/workflows/${created.id}`],
      ];
      for (const [method, path] of commands) {
        const named = await api.request(method, path, { body: { reason: 'cleanup' } });
        expect([path, named.body]).toEqual([
          path,
          { statusCode: 400, message: ['property reason should not exist'], error: 'Bad Request' },
        ]);
        const listed = await api.request(method, path, { body: [1] });
        expect([path, listed.body.message]).toEqual([path, ['This request takes no body: send none, or {}']]);
      }
      expect(await headOf()).toBe(head);
      expect((await api.request('POST', `/workflows/${created.id}/deactivate-sessions`, { rawBody: 'null' })).status).toBe(202);
      expect((await api.request('POST', `/workflows/${created.id}/deactivate-sessions`, { body: {} })).status).toBe(202);
      expect((await api.request('DELETE', `/workflows/${created.id}`)).status).toBe(200);
    });
  });

  describe('lifecycle', () => {
    it('creates a workflow with no steps at version 1 and zero sessions', async () => {
      const created = await create('Welcome flow');
      expect(created).toEqual({ id: expect.any(String), name: 'Welcome flow', version: 1, position: expect.any(String) });
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${created.position}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        id: created.id,
        name: 'Welcome flow',
        version: 1,
        steps: [],
        settings: {},
        activeSessions: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('renames, publishes versions and serves each version', async () => {
      const created = await create('Draft');
      const renamed = await api.request('PATCH', `/workflows/${created.id}`, { body: { name: ' Sales ' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: created.id, name: 'Sales', version: 1 });
      const published = await api.request('PUT', `/workflows/${created.id}/definition`, {
        body: { steps, settings: { sessionTimeoutSeconds: 600 }, expectedVersion: 1 },
      });
      expect(published.status).toBe(200);
      expect(published.body).toEqual({ version: 2, position: expect.any(String) });
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${published.body.position}`);
      expect(read.body).toMatchObject({ name: 'Sales', version: 2, steps, settings: { sessionTimeoutSeconds: 600 } });
      const first = await api.request('GET', `/workflows/${created.id}/versions/1`);
      expect(first.body).toMatchObject({ id: created.id, version: 1, steps: [], settings: {} });
      const second = await api.request('GET', `/workflows/${created.id}/versions/2`);
      expect(second.body).toMatchObject({ version: 2, steps });
      expect((await api.request('GET', `/workflows/${created.id}/versions/3`)).status).toBe(404);
    });

    it('rejects an invalid flow with 400 naming the step, and a stale expectedVersion with 409', async () => {
      const created = await create('Checked');
      const invalid = await api.request('PUT', `/workflows/${created.id}/definition`, {
        body: { steps: [{ id: 'a', type: 'send_message', text: 'hi', next: 'nowhere' }] },
      });
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body.message)).toContain('nowhere');
      const loop = await api.request('PUT', `/workflows/${created.id}/definition`, {
        body: {
          steps: [
            { id: 'ping', type: 'send_message', text: 'ping', next: 'pong' },
            { id: 'pong', type: 'send_message', text: 'pong', next: 'ping' },
          ],
        },
      });
      expect(loop.status).toBe(400);
      expect(JSON.stringify(loop.body.message)).toMatch(/ping|pong/);
      const notArray = await api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps: 'x' } });
      expect(notArray.status).toBe(400);
      expect(JSON.stringify(notArray.body.message)).toContain('steps');
      const stale = await api.request('PUT', `/workflows/${created.id}/definition`, {
        body: { steps, expectedVersion: 7 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual({
        statusCode: 409,
        message: `Workflow ${created.id} is at version 1, not at the expected version 7`,
        error: 'Conflict',
        currentVersion: 1,
      });
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${created.position}`);
      expect(read.body).toMatchObject({ version: 1, steps: [] });
    });

    it('rejects a definition with no steps with 400, publishing nothing', async () => {
      const created = await create('Empty');
      const empty = await api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps: [] } });
      expect(empty.body).toEqual({
        statusCode: 400,
        message: 'Invalid workflow definition: steps must hold at least one step',
        error: 'Bad Request',
        problems: [{ path: 'steps', message: 'must hold at least one step' }],
      });
      // Read once the projection has caught up with the whole log: no version 2 was published.
      const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${head}`);
      expect(read.body).toMatchObject({ version: 1, steps: [] });
    });

    it('copies every step and setting into an independent workflow', async () => {
      const source = await create('Original');
      const published = await api.request('PUT', `/workflows/${source.id}/definition`, {
        body: { steps, settings: { sessionTimeoutSeconds: 300 } },
      });
      expect(published.status).toBe(200);
      const copy = await api.request('POST', `/workflows/${source.id}/copy`, { body: { name: 'Copy of original' } });
      expect(copy.status).toBe(201);
      expect(copy.body).toMatchObject({ name: 'Copy of original', version: 1 });
      expect(copy.body.id).not.toBe(source.id);
      const copied = await api.request('GET', `/workflows/${copy.body.id}?consistentWith=${copy.body.position}`);
      expect(copied.body).toMatchObject({ steps, settings: { sessionTimeoutSeconds: 300 }, activeSessions: 0 });

      const edited = await api.request('PUT', `/workflows/${copy.body.id}/definition`, {
        body: { steps: [{ id: 'bye', type: 'end' }] },
      });
      expect(edited.status).toBe(200);
      const renamed = await api.request('PATCH', `/workflows/${source.id}`, { body: { name: 'Original renamed' } });
      const original = await api.request('GET', `/workflows/${source.id}?consistentWith=${renamed.body.position}`);
      expect(original.body).toMatchObject({ name: 'Original renamed', version: 2, steps });
      const copyAgain = await api.request('GET', `/workflows/${copy.body.id}?consistentWith=${edited.body.position}`);
      expect(copyAgain.body).toMatchObject({ name: 'Copy of original', version: 2, steps: [{ id: 'bye', type: 'end' }] });
    });

    it('deletes permanently: 404 afterwards for reads, rename, copy and a second delete; gone from the list', async () => {
      const created = await create('Doomed');
      const deleted = await api.request('DELETE', `/workflows/${created.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ position: expect.any(String) });
      const after = `consistentWith=${deleted.body.position}`;
      expect((await api.request('GET', `/workflows/${created.id}?${after}`)).status).toBe(404);
      expect((await api.request('GET', `/workflows/${created.id}/versions/1?${after}`)).status).toBe(404);
      expect((await api.request('DELETE', `/workflows/${created.id}`)).status).toBe(404);
      expect((await api.request('PATCH', `/workflows/${created.id}`, { body: { name: 'x' } })).status).toBe(404);
      expect((await api.request('POST', `/workflows/${created.id}/copy`, { body: { name: 'x' } })).status).toBe(404);
      expect((await api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps: [] } })).status).toBe(404);
      const list = await api.request('GET', `/workflows?limit=1000&${after}`);
      expect(list.body.items.map((card: { id: string }) => card.id)).not.toContain(created.id);
    });

    it('answers 404 for ids that never existed or are not ids', async () => {
      expect((await api.request('GET', '/workflows/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await api.request('GET', '/workflows/not-an-id')).status).toBe(404);
      expect((await api.request('GET', '/workflows/00000000-0000-4000-8000-000000000000/versions/x')).status).toBe(404);
    });

    it('reads a version only from plain digits: 0x1, 1e0, 1.0, 0 or a space name no version', async () => {
      const created = await create('Versioned');
      expect((await api.request('GET', `/workflows/${created.id}/versions/1?consistentWith=${created.position}`)).status).toBe(200);
      for (const version of ['0x1', '1e0', '1.0', '0', '%20', 'abc']) {
        const answer = await api.request('GET', `/workflows/${created.id}/versions/${version}`);
        expect([version, answer.status, answer.body.message]).toEqual([
          version,
          404,
          expect.stringMatching(/^Version .* not found: versions are whole numbers from 1$/),
        ]);
      }
    });
  });

  describe('listing', () => {
    it('pages newest first with a cursor, every card exactly once', async () => {
      const workspace = 'paging-workspace';
      const token = api.token('admin', workspace);
      const created: string[] = [];
      let position = '';
      for (let index = 0; index < 7; index += 1) {
        const card = await create(`Card ${index}`, token);
        created.push(card.id);
        position = card.position;
      }
      const seen: { id: string; createdAt: string }[] = [];
      let cursor: string | undefined;
      do {
        const query = `limit=3&consistentWith=${position}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await api.request('GET', `/workflows?${query}`, { token });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        for (const item of page.body.items) {
          expect(item).toEqual({
            id: expect.any(String),
            name: expect.any(String),
            activeSessions: 0,
            version: 1,
            createdAt: expect.any(String),
            updatedAt: expect.any(String),
          });
        }
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((card) => card.id).sort()).toEqual([...created].sort());
      // Newest first; cards created within the same millisecond are ordered by id.
      const newestFirst = [...seen].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      expect(seen).toEqual(newestFirst);
    });

    it.each([
      ['limit=abc', 'limit must be a whole number'],
      ['limit=1.5', 'limit must be a whole number'],
      ['limit=', 'limit must be a whole number'],
      ['limit=1&limit=2', 'limit must be given once'],
      ['limit=10&limit=20', 'limit must be given once'],
      ['limit=-1', 'limit must be at least 1'],
      ['limit=0', 'limit must be at least 1'],
      ['limit=1001', 'limit must be at most 1000'],
    ])('answers %s with what is wrong with it', async (query, message) => {
      const response = await api.request('GET', `/workflows?${query}`);
      expect([response.status, response.body.message]).toEqual([400, [message]]);
    });

    it('quotes at most 64 characters of a consistentWith it refuses', async () => {
      const foreign = await api.request('GET', `/workflows?consistentWith=${'z'.repeat(5000)}`);
      expect([foreign.status, foreign.body.message]).toEqual([
        400,
        `consistentWith: Not a position of this event store: "${'z'.repeat(63)}…"`,
      ]);
      // Leading zeros keep it a position of this store, one the log has not reached.
      const ahead = await api.request('GET', `/workflows?consistentWith=${'0'.repeat(5000)}999999999`);
      expect([ahead.status, ahead.body.message]).toEqual([400, `consistentWith: position ${'0'.repeat(63)}… is ahead of the event log`]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['consistentWith=not-a-position', 'consistentWith'],
      ['consistentWith=999999999', 'consistentWith'],
      ['limit=0x10', 'limit'],
      ['limit=1e2', 'limit'],
      ['sort=name', 'sort'],
    ])('rejects %s with 400 naming the parameter', async (query, field) => {
      const response = await api.request('GET', `/workflows?${query}`);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    });
  });

  describe('concurrency', () => {
    it('serves 60 concurrent creates: all 201 and all listed', async () => {
      const token = api.token('admin', 'concurrent-workspace');
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, index) => api.request('POST', '/workflows', { body: { name: `Parallel ${index}` }, token })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(60).fill(201));
      // The log's head is at or after every acknowledged create.
      const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
      const list = await api.request('GET', `/workflows?limit=1000&consistentWith=${head}`, { token });
      expect(new Set(list.body.items.map((card: { id: string }) => card.id))).toEqual(
        new Set(responses.map((response) => response.body.id)),
      );
    });

    it('lets exactly one of two concurrent publishes with the same expectedVersion win', async () => {
      const created = await create('Contended');
      const [first, second] = await Promise.all(
        [0, 1].map(() => api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps, expectedVersion: 1 } })),
      );
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const winner = first.status === 200 ? first : second;
      expect(winner.body.version).toBe(2);
    });
  });

  describe('authentication, roles and workspaces', () => {
    it('answers 401 without a token or with a bad one', async () => {
      expect((await api.request('GET', '/workflows', { token: null })).status).toBe(401);
      expect((await api.request('POST', '/workflows', { body: { name: 'x' }, token: null })).status).toBe(401);
      expect((await api.request('GET', '/workflows', { token: 'not.a.token' })).status).toBe(401);
      const forged = `${api.token().slice(0, -4)}AAAA`;
      expect((await api.request('GET', '/workflows', { token: forged })).status).toBe(401);
    });

    it('answers 401 naming the reason for a token meant to live longer than AUTH_MAX_TOKEN_TTL (24 h by default)', async () => {
      const longLived = await api.request('GET', '/workflows', { token: api.token('admin', undefined, 'admin-user', 24 * 3600 + 60) });
      expect(longLived.status).toBe(401);
      expect(longLived.body.message).toBe('Invalid token: token lifetime of 86460 s exceeds the maximum of 86400 s');
      expect((await api.request('GET', '/workflows', { token: api.token('admin', undefined, 'admin-user', 24 * 3600) })).status).toBe(200);
    });

    it('lets auditors read but not command (403)', async () => {
      const created = await create('Audited');
      const auditor = api.token('auditor');
      expect((await api.request('POST', '/workflows', { body: { name: 'x' }, token: auditor })).status).toBe(403);
      expect((await api.request('DELETE', `/workflows/${created.id}`, { token: auditor })).status).toBe(403);
      expect((await api.request('PATCH', `/workflows/${created.id}`, { body: { name: 'x' }, token: auditor })).status).toBe(403);
      expect((await api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps: [] }, token: auditor })).status).toBe(403);
      expect((await api.request('POST', `/workflows/${created.id}/copy`, { body: { name: 'x' }, token: auditor })).status).toBe(403);
      const read = await api.request('GET', `/workflows/${created.id}?consistentWith=${created.position}`, {
        token: auditor,
      });
      expect(read.status).toBe(200);
    });

    it("keeps another workspace's workflow invisible and unchangeable (404)", async () => {
      const owner = api.token('admin', 'acme');
      const stranger = api.token('admin', 'globex');
      const created = await create('Acme only', owner);
      const at = `consistentWith=${created.position}`;
      expect((await api.request('GET', `/workflows/${created.id}?${at}`, { token: stranger })).status).toBe(404);
      expect((await api.request('GET', `/workflows/${created.id}/versions/1?${at}`, { token: stranger })).status).toBe(404);
      expect((await api.request('PATCH', `/workflows/${created.id}`, { body: { name: 'x' }, token: stranger })).status).toBe(404);
      expect((await api.request('POST', `/workflows/${created.id}/copy`, { body: { name: 'x' }, token: stranger })).status).toBe(404);
      expect((await api.request('PUT', `/workflows/${created.id}/definition`, { body: { steps: [] }, token: stranger })).status).toBe(404);
      expect((await api.request('DELETE', `/workflows/${created.id}`, { token: stranger })).status).toBe(404);
      const list = await api.request('GET', `/workflows?limit=1000&${at}`, { token: stranger });
      expect(list.body.items.map((card: { id: string }) => card.id)).not.toContain(created.id);
      const stillThere = await api.request('GET', `/workflows/${created.id}?${at}`, { token: owner });
      expect(stillThere.body.name).toBe('Acme only');
    });
  });

  describe('service endpoints', () => {
    it('serves /health publicly and the OpenAPI document at /docs', async () => {
      const health = await api.request('GET', '/health', { token: null });
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      const docs = await api.request('GET', '/docs-json', { token: null });
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/workflows', '/workflows/{id}/copy']));
      const ui = await api.request('GET', '/docs', { token: null });
      expect(ui.status).toBe(200);
    });
  });
});
