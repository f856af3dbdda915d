import { describe, expect, it } from '@jest/globals';
import { inProcessServerForSuite } from './support/suite-server.js';
import { Visitor, activeSessionsOf, eventually } from './support/conversations.js';

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
    expect(previews).toEqual([{ id: first.body.channelId, type: 'webchat', name: 'Try it: Greeter', workflowId, previewOf: workflowId }]);
    expect(channels.body.items.filter((channel: { previewOf: string | null }) => channel.previewOf !== null)).toHaveLength(1);

    const visitor = new Visitor(api, first.body.channelId);
    await visitor.say('hi');
    expect(await visitor.awaitReplies(1)).toEqual(['Hello from the preview']);
  });

  it('gives each workflow its own channel, which runs that workflow only: another one or none is refused, saying why', async () => {
    const { api } = suite;
    const one = await publishedWorkflow('One');
    const other = await publishedWorkflow('Other');
    const oneChannel = (await api.request('POST', `/workflows/${one}/try-it`)).body.channelId;
    const otherChannel = (await api.request('POST', `/workflows/${other}/try-it`)).body.channelId;
    expect(oneChannel).not.toBe(otherChannel);

    const why = `Channel ${oneChannel} is the Try it preview of workflow ${one}: it runs that workflow only`;
    const reassigned = await api.request('PUT', `/channels/${oneChannel}/workflow`, { body: { workflowId: other } });
    expect([reassigned.status, reassigned.body.message]).toEqual([409, why]);
    const unassigned = await api.request('DELETE', `/channels/${oneChannel}/workflow`);
    expect([unassigned.status, unassigned.body.message]).toEqual([409, why]);
    // Its own workflow again is no change, as on any channel.
    expect((await api.request('PUT', `/channels/${oneChannel}/workflow`, { body: { workflowId: one } })).status).toBe(200);
    const again = await api.request('POST', `/workflows/${one}/try-it`);
    expect(again.body.channelId).toBe(oneChannel);
    const channels = await api.request('GET', `/channels?consistentWith=${again.body.position}`);
    expect(channels.body.items).toContainEqual(expect.objectContaining({ id: oneChannel, workflowId: one, previewOf: one }));
  });

  it('names the preview after the workflow as it is now, once the workflow was renamed', async () => {
    const { api } = suite;
    const workflowId = await publishedWorkflow('Before');
    const { channelId } = (await api.request('POST', `/workflows/${workflowId}/try-it`)).body;
    expect((await api.request('PATCH', `/workflows/${workflowId}`, { body: { name: 'After' } })).status).toBe(200);

    const again = await api.request('POST', `/workflows/${workflowId}/try-it`);
    const channels = await api.request('GET', `/channels?consistentWith=${again.body.position}`);
    expect(channels.body.items).toContainEqual(expect.objectContaining({ id: channelId, name: 'Try it: After', workflowId }));
    const renamed = await api.request('GET', `/audit/events?stream=channel-${channelId}&type=ChannelRenamed`, {
      token: api.token('auditor'),
    });
    expect(renamed.body.items.map(({ data }: { data: unknown }) => data)).toEqual([
      { channelId, name: 'Try it: After', previousName: 'Try it: Before' },
    ]);
  });

  it('lists the preview no more once its workflow is deleted', async () => {
    const { api } = suite;
    const workflowId = await publishedWorkflow('Short-lived');
    const { channelId } = (await api.request('POST', `/workflows/${workflowId}/try-it`)).body;
    expect((await api.request('DELETE', `/workflows/${workflowId}`)).status).toBe(200);
    await eventually(
      async () => (await api.request('GET', '/channels')).body.items.map((channel: { id: string }) => channel.id),
      (ids: string[]) => !ids.includes(channelId),
    );
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

  describe('POST /workflows/:id/try-it/end', () => {
    const QUESTION = [{ id: 'name', type: 'ask_question', text: 'Your name?', variable: 'name' }];

    /** A workflow whose preview conversation of a new visitor waits on a question: one active session. */
    const waitingPreview = async (): Promise<{ workflowId: string; visitor: Visitor }> => {
      const { api } = suite;
      const created = await api.request('POST', '/workflows', { body: { name: 'Asker' } });
      const workflowId = created.body.id as string;
      await api.request('PUT', `/workflows/${workflowId}/definition`, { body: { steps: QUESTION } });
      const visitor = new Visitor(api, (await api.request('POST', `/workflows/${workflowId}/try-it`)).body.channelId);
      await visitor.say('hi');
      await visitor.awaitReplies(1);
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 1,
      );
      return { workflowId, visitor };
    };

    it('deactivates the session of that preview conversation, and only that one; again is no error', async () => {
      const { api } = suite;
      const { workflowId, visitor } = await waitingPreview();
      const other = new Visitor(api, visitor.channelId);
      await other.say('hello');
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 2,
      );

      const ended = await api.request('POST', `/workflows/${workflowId}/try-it/end`, { body: { contactId: visitor.contactId } });
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ position: expect.any(String) });
      const card = await api.request('GET', `/workflows/${workflowId}?consistentWith=${ended.body.position}`);
      expect(card.body.activeSessions).toBe(1);
      const endedSessions = await api.request(
        'GET',
        `/workflows/${workflowId}/sessions?status=ended&consistentWith=${ended.body.position}`,
      );
      expect(endedSessions.body.items).toEqual([
        expect.objectContaining({ contactId: visitor.contactId, status: 'ended', endReason: 'deactivated' }),
      ]);

      const again = await api.request('POST', `/workflows/${workflowId}/try-it/end`, { body: { contactId: visitor.contactId } });
      expect(again.status).toBe(200);
      expect(again.body.position).toBe(ended.body.position);
      // The visitor's next message starts a new session.
      await visitor.say('back');
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 2,
      );
    });

    it('answers 200 for a contact that never wrote, and refuses a bad contactId naming the field', async () => {
      const { api } = suite;
      const { workflowId } = await waitingPreview();
      const nobody = await api.request('POST', `/workflows/${workflowId}/try-it/end`, { body: { contactId: 'never-wrote' } });
      expect(nobody.status).toBe(200);
      expect(nobody.body.position).toEqual(expect.any(String));

      for (const [body, message] of [
        [{}, 'contactId is required'],
        [{ contactId: 7 }, 'contactId must be a string'],
        [{ contactId: 'has spaces' }, 'contactId must be 1 to 128 letters, digits or _.:@+-'],
        [{ contactId: 'a', extra: 1 }, 'property extra should not exist'],
      ] as const) {
        const refused = await api.request('POST', `/workflows/${workflowId}/try-it/end`, { body });
        expect(refused.status).toBe(400);
        expect(refused.body.message).toEqual([message]);
      }
      expect(await activeSessionsOf(api, workflowId)).toBe(1);
    });

    it('answers 404 for an unknown or foreign workflow and 403 for an auditor, ending nothing', async () => {
      const { api } = suite;
      const { workflowId, visitor } = await waitingPreview();
      const body = { contactId: visitor.contactId };
      const unknown = await api.request('POST', '/workflows/00000000-0000-4000-8000-000000000000/try-it/end', { body });
      expect(unknown.status).toBe(404);
      const foreign = await api.request('POST', `/workflows/${workflowId}/try-it/end`, {
        body,
        token: api.token('admin', 'another-workspace'),
      });
      expect(foreign.status).toBe(404);
      const auditor = await api.request('POST', `/workflows/${workflowId}/try-it/end`, { body, token: api.token('auditor') });
      expect(auditor.status).toBe(403);
      expect(await activeSessionsOf(api, workflowId)).toBe(1);
    });
  });
});
