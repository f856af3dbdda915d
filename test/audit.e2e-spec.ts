import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore, type NewEvent } from '#eventstore';
import { Visitor, engineReached, eventually, flowOnWebchat } from './support/conversations.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

interface AuditEvent {
  id: string;
  position: string;
  stream: string;
  revision: number;
  type: string;
  data: any;
  metadata: any;
  recordedAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Nest answers a message or a list of them; either way the text must name the field. */
const messageOf = (body: any): string => [body?.message].flat().join(' | ');
/** The embedded store's positions are decimal sequence numbers: comparable here, opaque to clients. */
const inPositionOrder = (items: AuditEvent[]): boolean =>
  items.every((item, index) => index === 0 || BigInt(items[index - 1].position) < BigInt(item.position));

const oneStep = [{ id: 'hello', type: 'send_message', text: 'Hello' }];
const twoSteps = [...oneStep, { id: 'bye', type: 'send_message', text: 'Bye' }];

describe('Audit', () => {
  let server: InProcessServer;
  let api: Api;
  let auditor: string;
  let admin: string;

  beforeAll(async () => {
    server = await startInProcessServer();
    api = server.api;
    auditor = api.token('auditor');
    admin = api.token('admin');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const newWorkspace = () => {
    const workspace = `audit-${randomUUID()}`;
    return { workspace, admin: api.token('admin', workspace), auditor: api.token('auditor', workspace) };
  };

  /**
   * Every page from `start` (the beginning of the log when null, or its head newest first),
   * following `next` until it is null.
   */
  const pagesOf = async (
    token: string,
    query: string,
    limit: number,
    start: string | null = null,
    order: 'oldest' | 'newest' = 'oldest',
  ): Promise<AuditEvent[][]> => {
    const pages: AuditEvent[][] = [];
    const cursorName = order === 'oldest' ? 'after' : 'before';
    let from: string | null = start;
    do {
      const cursor: string =
        (order === 'oldest' ? '' : '&order=newest') + (from === null ? '' : `&${cursorName}=${encodeURIComponent(from)}`);
      const response = await api.request('GET', `/audit/events?limit=${limit}${query}${cursor}`, { token });
      expect(response.status).toBe(200);
      pages.push(response.body.items);
      from = response.body.next;
      if (pages.length > 10_000) throw new Error('next never became null');
    } while (from !== null);
    return pages;
  };
  const wholeLog = async (token: string, query = ''): Promise<AuditEvent[]> => (await pagesOf(token, query, 1000)).flat();

  const ndjson = async (token: string | null, query = '') => {
    const response = await fetch(`${api.baseUrl}/audit/events.ndjson${query}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      items: response.status === 200 ? lines.map((line) => JSON.parse(line) as AuditEvent) : [],
    };
  };

  const command = async (
    method: string,
    path: string,
    token: string,
    options: { body?: unknown; requestId?: string } = {},
  ): Promise<any> => {
    const response = await api.request(method, path, {
      token,
      body: options.body,
      headers: options.requestId ? { 'x-request-id': options.requestId } : {},
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  describe('who may read it', () => {
    it('answers 401 to anonymous callers on every audit route', async () => {
      const id = randomUUID();
      for (const path of [
        '/audit/events',
        '/audit/events.ndjson',
        `/audit/workflows/${id}/history`,
        `/audit/workflows/${id}/state?version=1`,
      ]) {
        expect((await api.request('GET', path, { token: null })).status).toBe(401);
      }
      expect((await ndjson(null)).status).toBe(401);
    });

    it('lets admins read the audit log too', async () => {
      const { workspace, admin: workspaceAdmin } = newWorkspace();
      const created = await command('POST', '/workflows', workspaceAdmin, { body: { name: 'Read by its admin' } });
      const log = await wholeLog(workspaceAdmin);
      expect(log.map((event) => [event.type, event.metadata.workspace])).toEqual([['WorkflowCreated', workspace]]);
      expect((await api.request('GET', `/audit/workflows/${created.id}/history`, { token: workspaceAdmin })).status).toBe(200);
    });

    it('lets an auditor issue no command at all, and records nothing when one tries', async () => {
      const workflow = await command('POST', '/workflows', admin, { body: { name: 'Not for auditors' } });
      const channel = await command('POST', '/channels', admin, { body: { type: 'webchat', name: 'Not for auditors' } });
      const attempts: [string, string, unknown?][] = [
        ['POST', '/workflows', { name: 'x' }],
        ['PATCH', `/workflows/${workflow.id}`, { name: 'x' }],
        ['PUT', `/workflows/${workflow.id}/definition`, { steps: oneStep }],
        ['POST', `/workflows/${workflow.id}/copy`, { name: 'x' }],
        ['POST', `/workflows/${workflow.id}/deactivate-sessions`],
        ['DELETE', `/workflows/${workflow.id}`],
        ['POST', '/channels', { type: 'webchat', name: 'x' }],
        ['PUT', `/channels/${channel.id}/workflow`, { workflowId: workflow.id }],
        ['DELETE', `/channels/${channel.id}/workflow`],
      ];
      for (const [method, path, body] of attempts) {
        const response = await api.request(method, path, { token: auditor, body });
        expect([method, path, response.status]).toEqual([method, path, 403]);
      }
      const log = await wholeLog(auditor);
      expect(log.filter((event) => event.metadata.actor?.role === 'auditor')).toEqual([]);
      expect((await api.request('GET', `/audit/workflows/${workflow.id}/history`, { token: auditor })).body.items).toHaveLength(1);
    });
  });

  describe('the event log', () => {
    let workspace: string;
    let paging: string;
    let pagingAuditor: string;
    let renamedWorkflowId: string;

    beforeAll(async () => {
      ({ workspace, admin: paging, auditor: pagingAuditor } = newWorkspace());
      const neighbour = newWorkspace();
      // Another workspace writes between every command, so that its events sit inside this one's pages.
      const interleave = (name: string) => command('POST', '/workflows', neighbour.admin, { body: { name } });
      const first = await command('POST', '/workflows', paging, { body: { name: 'First' } });
      await interleave('Neighbour 1');
      const second = await command('POST', '/workflows', paging, { body: { name: 'Second' } });
      await command('PATCH', `/workflows/${first.id}`, paging, { body: { name: 'First, renamed' } });
      await interleave('Neighbour 2');
      await command('PUT', `/workflows/${first.id}/definition`, paging, { body: { steps: oneStep } });
      await command('POST', `/workflows/${first.id}/copy`, paging, { body: { name: 'First, copied' } });
      await interleave('Neighbour 3');
      await interleave('Neighbour 4');
      const channel = await command('POST', '/channels', paging, { body: { type: 'webchat', name: 'Chat' } });
      await command('PUT', `/channels/${channel.id}/workflow`, paging, { body: { workflowId: first.id } });
      await command('PATCH', `/workflows/${second.id}`, paging, { body: { name: 'Second, renamed' } });
      await command('DELETE', `/workflows/${second.id}`, paging);
      const last = await interleave('Neighbour 5');
      renamedWorkflowId = first.id;
      // Whatever the engine does in reaction is written by then: every read below sees one settled log.
      await engineReached(api, last.position);
    });

    const settledLog = () => wholeLog(pagingAuditor);

    it('answers one page in position order, with only the caller’s workspace and the item shape of the contract', async () => {
      const log = await settledLog();
      expect(log.length).toBe(9);
      expect(inPositionOrder(log)).toBe(true);
      expect(new Set(log.map((event) => event.metadata.workspace))).toEqual(new Set([workspace]));
      expect(log.slice(0, 4).map((event) => event.type)).toEqual([
        'WorkflowCreated',
        'WorkflowCreated',
        'WorkflowRenamed',
        'WorkflowDefinitionPublished',
      ]);
      expect(log[0]).toEqual({
        id: expect.any(String),
        position: expect.any(String),
        stream: `workflow-${renamedWorkflowId}`,
        revision: 0,
        type: 'WorkflowCreated',
        data: expect.objectContaining({ workflowId: renamedWorkflowId, name: 'First' }),
        metadata: expect.objectContaining({ workspace, actor: { sub: 'admin-user', role: 'admin' } }),
        recordedAt: expect.any(String),
      });
      expect(new Date(log[0].recordedAt).toISOString()).toBe(log[0].recordedAt);
    });

    it('answers the first 100 events by default', async () => {
      const response = await api.request('GET', '/audit/events', { token: pagingAuditor });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: await settledLog(), next: null });
    });

    it.each([1, 2, 3])('with limit %i, following next gives every event exactly once, in order, as one big page does', async (limit) => {
      const log = await settledLog();
      const pages = await pagesOf(pagingAuditor, '', limit);
      expect(pages.every((items) => items.length <= limit)).toBe(true);
      expect(pages.slice(0, -1).every((items) => items.length === limit)).toBe(true);
      const items = pages.flat();
      expect(items).toEqual(log);
      expect(new Set(items.map((event) => event.id)).size).toBe(items.length);
    });

    it.each([1, 4])('newest first with limit %i, following next as before gives the log in reverse, each event once', async (limit) => {
      const log = await settledLog();
      const pages = await pagesOf(pagingAuditor, '', limit, null, 'newest');
      expect(pages.slice(0, -1).every((items) => items.length === limit)).toBe(true);
      expect(pages.flat()).toEqual([...log].reverse());
      const renames = await pagesOf(pagingAuditor, '&type=WorkflowRenamed', 1, null, 'newest');
      expect(renames.flat().map((event) => event.data.name)).toEqual(['Second, renamed', 'First, renamed']);
      // From before a position: what precedes it, newest first.
      const before = await api.request('GET', `/audit/events?order=newest&before=${log[3].position}&limit=2`, { token: pagingAuditor });
      expect(before.body).toEqual({ items: [log[2], log[1]], next: log[1].position });
    });

    it('filters by type and by stream, page after page', async () => {
      const log = await settledLog();
      const renames = await pagesOf(pagingAuditor, '&type=WorkflowRenamed', 1);
      expect(renames.flat()).toEqual(log.filter((event) => event.type === 'WorkflowRenamed'));
      expect(renames.flat().map((event) => event.data.name)).toEqual(['First, renamed', 'Second, renamed']);

      const stream = `workflow-${renamedWorkflowId}`;
      const ofOneWorkflow = await pagesOf(pagingAuditor, `&stream=${stream}`, 2);
      expect(ofOneWorkflow.flat()).toEqual(log.filter((event) => event.stream === stream));
      expect(ofOneWorkflow.flat().map((event) => event.revision)).toEqual([0, 1, 2]);
    });

    it('answers empty pages, then next null, for a filter that matches nothing', async () => {
      for (const query of ['&type=NoSuchEvent', '&stream=workflow-none', `&stream=workflow-${renamedWorkflowId}&type=WorkflowDeleted`]) {
        const pages = await pagesOf(pagingAuditor, query, 1);
        expect(pages.flat()).toEqual([]);
      }
    });

    it('starts after a position, such as a command’s', async () => {
      const log = await settledLog();
      const response = await api.request('GET', `/audit/events?after=${log[2].position}&limit=2`, { token: pagingAuditor });
      expect(response.body).toEqual({ items: log.slice(3, 5), next: log[4].position });
    });

    it('exports the same log as NDJSON, whole or filtered', async () => {
      const log = await settledLog();
      const whole = await ndjson(pagingAuditor);
      expect(whole.status).toBe(200);
      expect(whole.contentType).toMatch(/^application\/x-ndjson/);
      expect(whole.text.endsWith('\n')).toBe(true);
      expect(whole.items).toEqual(log);

      const published = await ndjson(pagingAuditor, '?type=WorkflowDefinitionPublished');
      expect(published.items).toEqual(log.filter((event) => event.type === 'WorkflowDefinitionPublished'));
      expect(published.items).toHaveLength(1);
      const nothing = await ndjson(pagingAuditor, '?stream=workflow-none');
      expect([nothing.status, nothing.text]).toEqual([200, '']);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=-1', 'limit must be at least 1'],
      ['limit=1001', 'limit must be at most 1000'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=10&limit=20', 'limit must be given once'],
      ['after=not-a-position', 'after'],
      ['after=', 'after'],
      [`after=${'9'.repeat(300)}`, 'after'],
      [`stream=${'s'.repeat(201)}`, 'stream'],
      ['type=', 'type'],
      ['type=A&type=B', 'type'],
      ['since=yesterday', 'since'],
      ['order=latest', 'order'],
      ['order=newest&after=1', 'after'],
      ['before=1', 'before'],
      ['order=oldest&before=1', 'before'],
      ['order=newest&before=not-a-position', 'before'],
      ['order=newest&before=', 'before'],
    ])('refuses a bad query with a 400 naming the field (#%#)', async (query, field) => {
      const response = await api.request('GET', `/audit/events?${query}`, { token: pagingAuditor });
      expect([query, response.status]).toEqual([query, 400]);
      expect(messageOf(response.body)).toContain(field);
    });

    it('quotes at most 64 characters of a cursor it refuses', async () => {
      const response = await api.request('GET', `/audit/events?after=${'z'.repeat(200)}`, { token: pagingAuditor });
      expect([response.status, response.body.message]).toEqual([400, `after: Not a position of this event store: "${'z'.repeat(63)}…"`]);
    });

    it('refuses a bad filter on the NDJSON export before sending anything', async () => {
      const response = await ndjson(pagingAuditor, `?type=${'t'.repeat(201)}`);
      expect(response.status).toBe(400);
      expect(messageOf(JSON.parse(response.text))).toContain('type');
    });
  });

  describe('a workflow’s history and state', () => {
    let workflowId: string;
    let copyId: string;
    let beforeCreation: string;

    beforeAll(async () => {
      beforeCreation = new Date().toISOString();
      // Pauses keep the events' recording times apart, for the time travel below.
      await sleep(20);
      workflowId = (await command('POST', '/workflows', admin, { body: { name: 'Welcome' } })).id;
      await sleep(20);
      await command('PUT', `/workflows/${workflowId}/definition`, admin, { body: { steps: oneStep } });
      await sleep(20);
      await command('PATCH', `/workflows/${workflowId}`, admin, { body: { name: 'Greeting' } });
      await sleep(20);
      await command('PUT', `/workflows/${workflowId}/definition`, admin, { body: { steps: twoSteps } });
      copyId = (await command('POST', `/workflows/${workflowId}/copy`, admin, { body: { name: 'Greeting (copy)' } })).id;
      await command('POST', `/workflows/${workflowId}/deactivate-sessions`, admin);
      await command('DELETE', `/workflows/${workflowId}`, admin);
    });

    const historyOf = (id: string, token = auditor) => api.request('GET', `/audit/workflows/${id}/history`, { token });
    const stateOf = (id: string, query: string, token = auditor) => api.request('GET', `/audit/workflows/${id}/state?${query}`, { token });

    it('lists every event of a deleted workflow, in order, with a summary each', async () => {
      expect((await api.request('GET', `/workflows/${workflowId}`)).status).toBe(404);
      const history = await historyOf(workflowId);
      expect(history.status).toBe(200);
      expect(history.body.workflowId).toBe(workflowId);
      const { items } = history.body;
      expect(items.map((item: any) => [item.revision, item.type, item.summary])).toEqual([
        [0, 'WorkflowCreated', 'Created "Welcome"'],
        [1, 'WorkflowDefinitionPublished', 'Published version 2 (1 step)'],
        [2, 'WorkflowRenamed', 'Renamed from "Welcome" to "Greeting"'],
        [3, 'WorkflowDefinitionPublished', 'Published version 3 (2 steps)'],
        [4, 'WorkflowSessionsDeactivationRequested', 'Asked to deactivate every active session'],
        [5, 'WorkflowDeleted', 'Deleted "Greeting"'],
      ]);
      expect(inPositionOrder(items)).toBe(true);
      expect(items[3].data.steps).toEqual(twoSteps);
      expect(items[0].metadata).toMatchObject({ actor: { sub: 'admin-user', role: 'admin' }, workspace: 'default' });
      // The same events as the log answers for that stream.
      const log = await wholeLog(auditor, `&stream=workflow-${workflowId}`);
      expect(log.map(({ id, position, recordedAt }) => ({ id, position, recordedAt }))).toEqual(
        items.map(({ id, position, recordedAt }: AuditEvent) => ({ id, position, recordedAt })),
      );
    });

    it('starts a copy’s history with the copy, naming its source', async () => {
      const { items } = (await historyOf(copyId)).body;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        revision: 0,
        type: 'WorkflowCopied',
        summary: `Copied from workflow ${workflowId} version 3 as "Greeting (copy)"`,
        data: { sourceWorkflowId: workflowId, sourceVersion: 3, steps: twoSteps },
      });
    });

    it('takes consistentWith on every audit query, as every query does: a command’s position at once, one beyond the log 400', async () => {
      const { id } = await command('POST', '/workflows', admin, { body: { name: 'Read at once' } });
      const renamed = await command('PATCH', `/workflows/${id}`, admin, { body: { name: 'Read at once, renamed' } });
      const at = encodeURIComponent(renamed.position);
      const history = await api.request('GET', `/audit/workflows/${id}/history?consistentWith=${at}`, { token: auditor });
      expect(history.status).toBe(200);
      expect(history.body.items.at(-1)).toMatchObject({ type: 'WorkflowRenamed', position: renamed.position });
      const state = await stateOf(id, `version=1&consistentWith=${at}`);
      expect(state.body.state).toMatchObject({ name: 'Read at once, renamed' });
      const page = await api.request('GET', `/audit/events?stream=workflow-${id}&consistentWith=${at}`, { token: auditor });
      expect(page.body.items.at(-1)).toMatchObject({ position: renamed.position });
      expect((await ndjson(auditor, `?stream=workflow-${id}&consistentWith=${at}`)).items.at(-1)).toMatchObject({
        position: renamed.position,
      });

      const beyond = encodeURIComponent(String(BigInt(renamed.position) + 1_000_000n));
      for (const path of [
        `/audit/workflows/${id}/history?consistentWith=${beyond}`,
        `/audit/workflows/${id}/state?version=1&consistentWith=${beyond}`,
        `/audit/events?consistentWith=${beyond}`,
        `/audit/events.ndjson?consistentWith=${beyond}`,
        `/audit/events?consistentWith=not-a-position`,
      ]) {
        const refused = await api.request('GET', path, { token: auditor });
        expect([path, refused.status, messageOf(refused.body)]).toEqual([path, 400, expect.stringContaining('consistentWith')]);
      }
    });

    it('answers 404 for an unknown id, a non-UUID id, and another workspace’s workflow', async () => {
      const globexAdmin = api.token('admin', 'globex');
      for (const [id, token] of [
        [randomUUID(), auditor],
        ['not-a-uuid', auditor],
        [workflowId, globexAdmin],
        [copyId, api.token('auditor', 'globex')],
      ]) {
        expect((await historyOf(id, token)).status).toBe(404);
        expect((await stateOf(id, 'version=1', token)).status).toBe(404);
      }
    });

    it('shows each version as it was while it was the newest', async () => {
      const history = (await historyOf(workflowId)).body.items;
      const asOf = (revision: number) => {
        const { position, recordedAt } = history[revision];
        return { revision, position, recordedAt };
      };

      const v1 = await stateOf(workflowId, 'version=1');
      expect(v1.status).toBe(200);
      expect(v1.body).toEqual({
        workflowId,
        asOf: asOf(0),
        state: { status: 'active', workflowId, workspace: 'default', name: 'Welcome', version: 1, steps: [], settings: {} },
      });
      const v2 = await stateOf(workflowId, 'version=2');
      // The rename happened while version 2 was the newest.
      expect(v2.body).toMatchObject({ asOf: asOf(2), state: { status: 'active', name: 'Greeting', version: 2, steps: oneStep } });
      const v3 = await stateOf(workflowId, 'version=3');
      expect(v3.body).toMatchObject({ asOf: asOf(4), state: { status: 'active', name: 'Greeting', version: 3, steps: twoSteps } });
      const v4 = await stateOf(workflowId, 'version=4');
      expect(v4.status).toBe(404);
      expect(messageOf(v4.body)).toContain('version 4');

      const copy = await stateOf(copyId, 'version=1');
      expect(copy.body.state).toMatchObject({ status: 'active', name: 'Greeting (copy)', version: 1, steps: twoSteps });
    });

    it('shows the workflow as it was at a time: not yet there, between two edits, deleted', async () => {
      const history = (await historyOf(workflowId)).body.items;
      const before = await stateOf(workflowId, `at=${beforeCreation}`);
      expect(before.status).toBe(404);
      expect(messageOf(before.body)).toContain('did not exist yet');

      const renamedAt = Date.parse(history[2].recordedAt);
      const publishedAt = Date.parse(history[3].recordedAt);
      expect(publishedAt).toBeGreaterThan(renamedAt);
      const between = new Date(Math.floor((renamedAt + publishedAt) / 2)).toISOString();
      const meanwhile = await stateOf(workflowId, `at=${between}`);
      expect(meanwhile.status).toBe(200);
      expect(meanwhile.body).toMatchObject({
        asOf: { revision: 2, position: history[2].position },
        state: { status: 'active', name: 'Greeting', version: 2, steps: oneStep },
      });

      const atCreation = await stateOf(workflowId, `at=${encodeURIComponent(history[0].recordedAt)}`);
      expect(atCreation.body.state).toMatchObject({ status: 'active', name: 'Welcome', version: 1 });

      const now = await stateOf(workflowId, `at=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
      expect(now.body).toEqual({
        workflowId,
        asOf: { revision: 5, position: history[5].position, recordedAt: history[5].recordedAt },
        state: { status: 'deleted', workflowId, workspace: 'default', name: 'Greeting', version: 3 },
      });
      // An offset other than Z names the same instant.
      const inParis = new Date(renamedAt + 3_600_000).toISOString().replace('Z', '+01:00');
      expect((await stateOf(workflowId, `at=${encodeURIComponent(inParis)}`)).body.asOf.revision).toBe(2);
    });

    it.each([
      ['', 'version'],
      ['', 'at'],
      ['version=1&at=2026-01-01T00:00:00Z', 'version'],
      ['version=1&at=2026-01-01T00:00:00Z', 'at'],
      ['version=0', 'version'],
      ['version=-1', 'version'],
      ['version=1.5', 'version'],
      ['version=two', 'version'],
      ['version=', 'version'],
      ['at=yesterday', 'at'],
      ['at=2026-02-30T00:00:00Z', 'at'],
      ['at=2026-01-01', 'at'],
      ['at=2026-01-01T10:00:00', 'at'],
      ['at=', 'at'],
    ])('refuses "%s" with a 400 naming %s', async (query, field) => {
      const response = await stateOf(workflowId, query);
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain(field);
    });

    it('refuses a version past the safe integers, which it could not tell from its neighbours, in words of its own', async () => {
      const response = await stateOf(workflowId, 'version=9007199254740993');
      expect([response.status, messageOf(response.body)]).toEqual([400, 'version must be at most 9007199254740991']);
    });
  });

  describe('workspaces', () => {
    it('never shows another workspace’s events to an auditor', async () => {
      const globexAdmin = api.token('admin', 'globex');
      const globexWorkflow = await command('POST', '/workflows', globexAdmin, { body: { name: 'Globex only' } });
      await command('PUT', `/workflows/${globexWorkflow.id}/definition`, globexAdmin, { body: { steps: oneStep } });
      await command('POST', '/channels', globexAdmin, { body: { type: 'webchat', name: 'Globex chat' } });

      const mentionsGlobex = (event: AuditEvent) =>
        event.metadata.workspace !== 'default' || JSON.stringify(event).includes(globexWorkflow.id);
      const paged = await wholeLog(auditor);
      expect(paged.length).toBeGreaterThan(0);
      expect(paged.filter(mentionsGlobex)).toEqual([]);
      expect((await pagesOf(auditor, `&stream=workflow-${globexWorkflow.id}`, 5)).flat()).toEqual([]);
      const exported = await ndjson(auditor);
      expect(exported.items.filter(mentionsGlobex)).toEqual([]);
      // The export may already hold what the engine wrote since the pages were read: it starts with them.
      expect(exported.items.slice(0, paged.length).map((event) => event.id)).toEqual(paged.map((event) => event.id));

      const globexLog = await wholeLog(api.token('auditor', 'globex'));
      expect(new Set(globexLog.map((event) => event.metadata.workspace))).toEqual(new Set(['globex']));
      expect(globexLog.map((event) => event.type)).toEqual(
        expect.arrayContaining(['WorkflowCreated', 'WorkflowDefinitionPublished', 'ChannelCreated']),
      );
      expect((await api.request('GET', `/audit/workflows/${globexWorkflow.id}/history`, { token: auditor })).status).toBe(404);
    });
  });

  describe('who did what, and why', () => {
    it('makes a command’s X-Request-Id the correlation id of its event', async () => {
      const { admin: workspaceAdmin, auditor: workspaceAuditor } = newWorkspace();
      const created = await command('POST', '/workflows', workspaceAdmin, { body: { name: 'Correlated' }, requestId: 'audit-test-1' });
      const [event] = (await pagesOf(workspaceAuditor, `&stream=workflow-${created.id}`, 10)).flat();
      expect(event.type).toBe('WorkflowCreated');
      expect(event.metadata).toMatchObject({ correlationId: 'audit-test-1', causationId: 'audit-test-1' });
    });

    it('makes the request id the server gave a command without a sane one the correlation id of its event', async () => {
      const { admin: workspaceAdmin, auditor: workspaceAuditor } = newWorkspace();
      for (const sent of [undefined, 'not "sane" <id>']) {
        const response = await api.fetch('POST', '/workflows', {
          body: { name: 'Correlated by the server' },
          token: workspaceAdmin,
          headers: sent === undefined ? {} : { 'x-request-id': sent },
        });
        expect(response.status).toBe(201);
        const given = response.headers.get('x-request-id');
        const { id } = (await response.json()) as { id: string };
        const [event] = (await pagesOf(workspaceAuditor, `&stream=workflow-${id}`, 10)).flat();
        expect(given).toMatch(/^[0-9a-f-]{36}$/);
        expect(event.metadata).toMatchObject({ correlationId: given, causationId: given });
      }
    });

    it('records the actor of every kind of command', async () => {
      const { workspace, auditor: workspaceAuditor } = newWorkspace();
      const ann = api.token('admin', workspace, 'ann');
      const workflow = await command('POST', '/workflows', ann, { body: { name: 'Acted on' }, requestId: 'actor-create' });
      await command('PATCH', `/workflows/${workflow.id}`, ann, { body: { name: 'Acted on again' }, requestId: 'actor-rename' });
      await command('PUT', `/workflows/${workflow.id}/definition`, ann, { body: { steps: oneStep }, requestId: 'actor-publish' });
      await command('POST', `/workflows/${workflow.id}/copy`, ann, { body: { name: 'Acted copy' }, requestId: 'actor-copy' });
      await command('POST', `/workflows/${workflow.id}/deactivate-sessions`, ann, { requestId: 'actor-deactivate' });
      const channel = await command('POST', '/channels', ann, {
        body: { type: 'webchat', name: 'Acted chat' },
        requestId: 'actor-channel',
      });
      await command('PUT', `/channels/${channel.id}/workflow`, ann, { body: { workflowId: workflow.id }, requestId: 'actor-assign' });
      await command('DELETE', `/channels/${channel.id}/workflow`, ann, { requestId: 'actor-unassign' });
      await command('DELETE', `/workflows/${workflow.id}`, ann, { requestId: 'actor-delete' });

      const log = await wholeLog(workspaceAuditor);
      const expectations: [string, string][] = [
        ['actor-create', 'WorkflowCreated'],
        ['actor-rename', 'WorkflowRenamed'],
        ['actor-publish', 'WorkflowDefinitionPublished'],
        ['actor-copy', 'WorkflowCopied'],
        ['actor-deactivate', 'WorkflowSessionsDeactivationRequested'],
        ['actor-channel', 'ChannelCreated'],
        ['actor-assign', 'ChannelWorkflowAssigned'],
        ['actor-unassign', 'ChannelWorkflowUnassigned'],
        ['actor-delete', 'WorkflowDeleted'],
      ];
      for (const [requestId, type] of expectations) {
        const recorded = log.filter((event) => event.metadata.correlationId === requestId && event.type === type);
        expect([requestId, recorded.map((event) => event.metadata.actor)]).toEqual([requestId, [{ sub: 'ann', role: 'admin' }]]);
      }
    });

    it('records channel and engine events with their actor and the event that caused them', async () => {
      const { admin: workspaceAdmin, auditor: workspaceAuditor } = newWorkspace();
      const { channelId } = await flowOnWebchat(api, [{ id: 'greet', type: 'send_message', text: 'Hello from the flow' }], {
        token: workspaceAdmin,
      });
      const visitor = new Visitor(api, channelId);
      const { messageId } = await visitor.say('hi');
      expect(await visitor.awaitReplies(1)).toEqual(['Hello from the flow']);

      const caused = (log: AuditEvent[]) => log.filter((event) => event.metadata.correlationId === messageId);
      const log = await eventually(
        () => wholeLog(workspaceAuditor),
        (events) => caused(events).some((event) => event.type === 'SessionCompleted'),
      );
      const conversation = caused(log);
      const byChannel = conversation.filter((event) => event.metadata.actor.role === 'channel');
      const byEngine = conversation.filter((event) => event.metadata.actor.role === 'system');
      expect(byChannel.length + byEngine.length).toBe(conversation.length);

      expect(byChannel.map((event) => event.type)).toContain('MessageReceived');
      for (const event of byChannel) {
        expect(event.metadata).toMatchObject({ actor: { sub: `webchat:${channelId}`, role: 'channel' }, causationId: messageId });
      }
      expect(byEngine.map((event) => event.type)).toEqual(expect.arrayContaining(['SessionStarted', 'MessageSent', 'SessionCompleted']));
      const indexOf = new Map(log.map((event, index) => [event.id, index]));
      for (const event of byEngine) {
        expect(event.metadata.actor).toEqual({ sub: 'session-engine', role: 'system' });
        // The cause is an event of the same conversation, recorded before it.
        const causeIndex = indexOf.get(event.metadata.causationId);
        expect([event.type, causeIndex !== undefined && causeIndex < indexOf.get(event.id)!]).toEqual([event.type, true]);
        expect(conversation.map((other) => other.id)).toContain(event.metadata.causationId);
      }
    });
  });

  describe('a log longer than one scan', () => {
    const NOISE_EVENTS = 10_500;
    let noise: ReturnType<typeof newWorkspace>;
    let sparse: ReturnType<typeof newWorkspace>;
    let firstSparse: { position: string };

    const noiseEvent = (index: number): NewEvent => ({
      id: randomUUID(),
      type: 'AuditNoiseRecorded',
      data: { index },
      metadata: {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { sub: 'audit-test', role: 'system' },
        occurredAt: new Date().toISOString(),
        workspace: noise.workspace,
      },
    });

    beforeAll(async () => {
      noise = newWorkspace();
      sparse = newWorkspace();
      firstSparse = await command('POST', '/workflows', sparse.admin, { body: { name: 'Before the noise' } });
      // Written straight to the store: thousands of commands over HTTP would only slow the test down.
      const store = server.app.get<symbol, EventStore>(EVENT_STORE);
      for (let start = 0; start < NOISE_EVENTS; start += 500) {
        const events = Array.from({ length: Math.min(500, NOISE_EVENTS - start) }, (_, offset) => noiseEvent(start + offset));
        await store.appendToStream(`noise-${start / 500}`, events);
      }
      await command('POST', '/workflows', sparse.admin, { body: { name: 'After the noise' } });
    }, 60_000);

    it('answers a sparse filter within its scan budget, with where to go on', async () => {
      const first = await api.request('GET', `/audit/events?after=${firstSparse.position}&limit=10`, { token: sparse.auditor });
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([]);
      expect(first.body.next).toEqual(expect.any(String));
      const rest = (await pagesOf(sparse.auditor, '', 10, first.body.next)).flat();
      expect(rest.map((event) => event.data.name)).toEqual(['After the noise']);
    });

    it('exports thousands of events as NDJSON, equal to the paged log', async () => {
      const paged = await wholeLog(noise.auditor);
      expect(paged).toHaveLength(NOISE_EVENTS);
      const exported = await ndjson(noise.auditor);
      expect(exported.items).toHaveLength(NOISE_EVENTS);
      expect(exported.items).toEqual(paged);
      expect(exported.items.map((event) => event.data.index)).toEqual(Array.from({ length: NOISE_EVENTS }, (_, index) => index));
    });
  });
});
