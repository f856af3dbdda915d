import { describe, expect, it } from '@jest/globals';
import { inProcessServerForSuite } from './support/suite-server.js';
import { Visitor } from './support/conversations.js';

describe('POST /workflows/:id/try-it: the preview web chat channel of a workflow', () => {
  const suite = inProcessServerForSuite();

  const publishedWorkflow = async (name: string, token?: string): Promise<string> => {
    const { api } = suite;
    const created = await api.request('POST', '/workflows', { body: { name }, token });
    const published = await api.request('PUT', `/workflows/${created.body.id}/definition`, {
      body: { steps: [{ id: 'hello', type: 'send_message', text: 'Hello from the preview' }] },
      token,
    });
    expect(published.status).toBe(200);
    return created.body.id as string;
  };

  it('makes a web chat channel assigned to the workflow, the same one on every call, that answers like the flow', async () => {
    const { api } = suite;
    const workflowId = await publishedWorkflow('Greeter');
    const first = await api.request('POST', `/workflows/${workflowId}/try-it`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      channelId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      position: expect.any(String),
    });
    const second = await api.request('POST', `/workflows/${workflowId}/try-it`);
    expect(second.status).toBe(200);
    expect(second.body.channelId).toBe(first.body.channelId);

    const channels = await api.request('GET', `/channels?consistentWith=${second.body.position}`);
    const previews = channels.body.items.filter((channel: { id: string }) => channel.id === first.body.channelId);
    expect(previews).toEqual([{ id: first.body.channelId, type: 'webchat', name: 'Try it: Greeter', workflowId }]);

    const visitor = new Visitor(api, first.body.channelId);
    await visitor.say('hi');
    expect(await visitor.awaitReplies(1)).toEqual(['Hello from the preview']);
  });

  it('gives each workflow its own channel and puts the workflow back when the channel was reassigned', async () => {
    const { api } = suite;
    const one = await publishedWorkflow('One');
    const other = await publishedWorkflow('Other');
    const oneChannel = (await api.request('POST', `/workflows/${one}/try-it`)).body.channelId;
    const otherChannel = (await api.request('POST', `/workflows/${other}/try-it`)).body.channelId;
    expect(oneChannel).not.toBe(otherChannel);

    expect((await api.request('PUT', `/channels/${oneChannel}/workflow`, { body: { workflowId: other } })).status).toBe(200);
    const again = await api.request('POST', `/workflows/${one}/try-it`);
    expect(again.body.channelId).toBe(oneChannel);
    const channels = await api.request('GET', `/channels?consistentWith=${again.body.position}`);
    expect(channels.body.items).toContainEqual(expect.objectContaining({ id: oneChannel, workflowId: one }));
  });

  it('answers 404 for an unknown, deleted or foreign workflow and makes no channel for it', async () => {
    const { api } = suite;
    const unknown = await api.request('POST', '/workflows/00000000-0000-4000-8000-000000000000/try-it');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Workflow 00000000-0000-4000-8000-000000000000 not found');
    expect((await api.request('POST', '/workflows/not-a-workflow/try-it')).status).toBe(404);

    const deleted = await publishedWorkflow('Gone');
    const removed = await api.request('DELETE', `/workflows/${deleted}`);
    expect((await api.request('POST', `/workflows/${deleted}/try-it`)).status).toBe(404);

    const foreign = await publishedWorkflow('Elsewhere', api.token('admin', 'another-workspace'));
    expect((await api.request('POST', `/workflows/${foreign}/try-it`)).status).toBe(404);

    const channels = await api.request('GET', `/channels?consistentWith=${removed.body.position}`);
    expect(channels.body.items.map((channel: { name: string }) => channel.name)).not.toContain('Try it: Gone');
  });

  it('is for admins: an auditor gets 403', async () => {
    const { api } = suite;
    const workflowId = await publishedWorkflow('Audited');
    const refused = await api.request('POST', `/workflows/${workflowId}/try-it`, { token: api.token('auditor') });
    expect(refused.status).toBe(403);
  });
});
