import type { RecordedEvent } from '#eventstore';
import { toNewEvents, type CommandContext } from '../command-handling/command-context.js';
import { DeliverOutboxCommand, FireSessionTimerCommand, RunAgentTurnCommand } from './deferred-work.commands.js';
import { EndWorkflowSessionsCommand } from './end-workflow-sessions.command.js';
import { FollowWorkflowDeletionCommand } from './follow-workflow-deletion.command.js';
import { ProcessChannelWebhookCommand } from './process-channel-webhook.command.js';
import { RouteCustomerMessageCommand } from './route-customer-message.command.js';

// Logs already written hold event ids derived from these keys: the literal ids below are what the
// engine appended before the reactions had explicit names, and must stay what it appends.
const cause = {
  id: '11111111-1111-4111-8111-111111111111',
  type: 'MessageReceived',
  data: {},
  metadata: { correlationId: 'c-1', causationId: 'c-1', actor: { sub: 'a', role: 'admin' }, occurredAt: '', workspace: 'w-1' },
  streamName: 'conversation-x',
  revision: 0,
  position: '1',
  recordedAt: '',
} as unknown as RecordedEvent<'MessageReceived', never> & RecordedEvent<'ChannelWebhookReceived', never>;

const firstEventId = (context: CommandContext): string =>
  toNewEvents([{ type: 'Anything', data: {} }], context, new Date(0), { streamName: 'session-s-1', after: 4 })[0].id;

describe('the ids of what the engine appends in reaction', () => {
  it.each([
    ['RouteCustomerMessageCommand', () => new RouteCustomerMessageCommand(cause), 'b409d8db-8443-8f8d-9deb-6ff1e6fb5d5c'],
    [
      'EndWorkflowSessionsCommand',
      () => new EndWorkflowSessionsCommand(cause, 'wf-1', 'terminate'),
      '75b71520-9a0d-83a0-b9d2-8f1d66458805',
    ],
    [
      'FollowWorkflowDeletionCommand',
      () => new FollowWorkflowDeletionCommand(cause, 'wf-1', { sessionId: 's-1' }),
      '30178694-0b12-844c-b9bf-f8c141164e2b',
    ],
    ['ProcessChannelWebhookCommand', () => new ProcessChannelWebhookCommand(cause), '941808e3-8ef8-8b0c-adaf-7cf9ba7f6fd8'],
    ['FireSessionTimerCommand', () => new FireSessionTimerCommand('s-1', 'w-1', 's-1:t:1'), '4ee56765-09e6-8505-a0bb-93617c826ef7'],
    ['RunAgentTurnCommand', () => new RunAgentTurnCommand('s-1', 'w-1', 's-1:t:1'), 'c0733d9f-c44b-8bfa-9107-a08908505a9c'],
    ['DeliverOutboxCommand', () => new DeliverOutboxCommand('s-1', 'w-1', 's-1:t:1'), '9a4c4444-0b8b-8e6b-af5b-6b8dd56f9294'],
  ])('%s keeps the ids logs were written with', (_name, command, id) => {
    expect(firstEventId(command().context)).toBe(id);
  });

  it('do not depend on the class name (a rename or a minifier changes it)', () => {
    const Renamed = class extends RouteCustomerMessageCommand {};
    const RenamedWork = class extends FireSessionTimerCommand {};
    expect(Renamed.name).not.toBe('RouteCustomerMessageCommand');

    expect(new Renamed(cause).context.idempotencyKey).toBe(new RouteCustomerMessageCommand(cause).context.idempotencyKey);
    expect(new RenamedWork('s-1', 'w-1', 't').context.idempotencyKey).toBe('FireSessionTimerCommand:t');
  });
});
