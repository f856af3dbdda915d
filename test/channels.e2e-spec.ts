import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

describe('Channels HTTP API', () => {
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

  const createChannel = async (token?: string) => {
    const response = await api.request('POST', '/channels', { body: { type: 'webchat', name: ' Site chat ' }, token });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), position: expect.any(String) });
    return response.body as { id: string; position: string };
  };
  const createWorkflow = async (token?: string) =>
    (await api.request('POST', '/workflows', { body: { name: 'Welcome' }, token })).body as { id: string; position: string };
  const listed = async (position: string, token?: string) =>
    (await api.request('GET', `/channels?consistentWith=${position}`, { token })).body.items;

  it('creates a web chat channel, assigns a workflow, takes it off again', async () => {
    const channel = await createChannel();
    expect(await listed(channel.position)).toContainEqual({
      id: channel.id,
      type: 'webchat',
      name: 'Site chat',
      workflowId: null,
      previewOf: null,
    });

    const workflow = await createWorkflow();
    const assigned = await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: workflow.id } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ position: expect.any(String) });
    expect(await listed(assigned.body.position)).toContainEqual(expect.objectContaining({ id: channel.id, workflowId: workflow.id }));

    const unassigned = await api.request('DELETE', `/channels/${channel.id}/workflow`);
    expect(unassigned.status).toBe(200);
    expect(await listed(unassigned.body.position)).toContainEqual(expect.objectContaining({ id: channel.id, workflowId: null }));
  });

  it('answers 404 for an unknown or deleted workflow and an unknown channel', async () => {
    const channel = await createChannel();
    const unknown = await api.request('PUT', `/channels/${channel.id}/workflow`, {
      body: { workflowId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(404);
    const workflow = await createWorkflow();
    await api.request('DELETE', `/workflows/${workflow.id}`);
    expect((await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: workflow.id } })).status).toBe(404);
    const other = await createWorkflow();
    expect(
      (await api.request('PUT', '/channels/00000000-0000-4000-8000-000000000000/workflow', { body: { workflowId: other.id } })).status,
    ).toBe(404);
    expect((await api.request('DELETE', '/channels/not-a-channel/workflow')).status).toBe(404);
  });

  it.each([
    [{ type: 'fax', name: 'x' }, 'type must be one of webchat, whatsapp, messenger'],
    [{ type: 'webchat' }, 'name is required'],
    [{ type: 'webchat', name: 'x', config: [] }, 'config must be an object'],
    // Absent is {}; null is a value, and not an object.
    [{ type: 'webchat', name: 'x', config: null }, 'config must be an object'],
    [{ type: 'webchat', name: 'x', config: { colour: 'red' } }, 'config.colour is not a setting of webchat channels'],
    [{ type: 'whatsapp', name: 'x', config: {} }, 'config.phoneNumberId is required for whatsapp channels'],
    [
      { type: 'messenger', name: 'x', config: { pageId: '1', pageAccessToken: 't', appSecret: 's', verifyToken: 'v', extra: 1 } },
      'config.extra is not a setting of messenger channels',
    ],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const response = await api.request('POST', '/channels', { body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(message);
  });

  it('refuses a malformed workflowId with 400', async () => {
    const channel = await createChannel();
    const response = await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: 'wf' } });
    expect(response.body).toEqual({ statusCode: 400, message: ['workflowId must be a workflow id (a UUID)'], error: 'Bad Request' });
  });

  it('keeps channels within their workspace and commands for admins', async () => {
    const acme = api.token('admin', 'acme-channels');
    const globex = api.token('admin', 'globex-channels');
    const channel = await createChannel(acme);
    const workflow = await createWorkflow(globex);
    expect(await listed(channel.position, globex)).toEqual([]);
    expect(
      (await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: workflow.id }, token: globex })).status,
    ).toBe(404);
    const acmeWorkflow = await createWorkflow(acme);
    expect((await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: workflow.id }, token: acme })).status).toBe(
      404,
    );
    expect(
      (await api.request('PUT', `/channels/${channel.id}/workflow`, { body: { workflowId: acmeWorkflow.id }, token: acme })).status,
    ).toBe(200);
    const auditor = api.token('auditor', 'acme-channels');
    expect((await api.request('POST', '/channels', { body: { type: 'webchat', name: 'x' }, token: auditor })).status).toBe(403);
    expect((await api.request('DELETE', `/channels/${channel.id}/workflow`, { token: auditor })).status).toBe(403);
    expect(await listed(channel.position, auditor)).toHaveLength(1);
  });
});
