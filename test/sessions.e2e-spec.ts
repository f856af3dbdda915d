import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Visitor, activeSessionsOf, eventually, flowOnWebchat } from './support/conversations.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const supportFlow = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}, welcome to Acme!' },
  {
    id: 'ask_age',
    type: 'ask_question',
    text: 'How old are you?',
    variable: 'age',
    answerType: 'number',
    retryText: 'Please answer with a number.',
  },
  { id: 'thanks', type: 'send_message', text: 'Thanks, {{contact.name}}: {{age}} noted.' },
  {
    id: 'route',
    type: 'branch',
    branches: [{ condition: { variable: 'age', op: 'lt', value: 18 }, next: 'minors' }],
    elseNext: 'adults',
  },
  { id: 'minors', type: 'route_to_team', team: 'youth' },
  { id: 'adults', type: 'route_to_team', team: 'sales', note: 'Customer aged {{age}}' },
];

describe('Sessions over web chat', () => {
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

  it('runs a full conversation: welcome, question, retry, templated reply, branch, route to team', async () => {
    const { workflowId, channelId } = await flowOnWebchat(api, supportFlow);
    const visitor = new Visitor(api, channelId);

    await visitor.say('Hello', 'Ada');
    expect(await visitor.awaitReplies(2)).toEqual(['Hi Ada, welcome to Acme!', 'How old are you?']);
    expect(await eventually(() => activeSessionsOf(api, workflowId), (count) => count === 1)).toBe(1);

    await visitor.say('old enough');
    expect((await visitor.awaitReplies(3))[2]).toBe('Please answer with a number.');

    await visitor.say('42');
    expect((await visitor.awaitReplies(4))[3]).toBe('Thanks, Ada: 42 noted.');
    expect(await eventually(() => activeSessionsOf(api, workflowId), (count) => count === 0)).toBe(0);

    const transcript = await visitor.transcript();
    expect(transcript.map(({ direction, text }) => [direction, text])).toEqual([
      ['inbound', 'Hello'],
      ['outbound', 'Hi Ada, welcome to Acme!'],
      ['outbound', 'How old are you?'],
      ['inbound', 'old enough'],
      ['outbound', 'Please answer with a number.'],
      ['inbound', '42'],
      ['outbound', 'Thanks, Ada: 42 noted.'],
    ]);

    const sessions = await eventually(
      () => api.request('GET', `/workflows/${workflowId}/sessions?status=ended`),
      (response) => response.body.items?.length === 1,
    );
    const [summary] = sessions.body.items;
    expect(summary).toMatchObject({ workflowId, workflowVersion: 2, channelId, contactId: visitor.contactId, status: 'ended' });
    const session = await api.request('GET', `/sessions/${summary.id}`);
    expect(session.body).toMatchObject({
      id: summary.id,
      status: 'ended',
      endReason: 'routed_to_team',
      team: 'sales',
      currentStepId: 'adults',
      variables: { age: 42 },
    });
    expect(session.body.transcript).toHaveLength(7);
  });
});
