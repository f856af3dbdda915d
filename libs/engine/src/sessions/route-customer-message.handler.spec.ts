import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type MessageReceived,
  type StepDefinition,
  type WorkflowSettings,
  channelStreamName,
  conversationStreamName,
  sessionDecider,
  sessionStreamName,
  workflowStreamName,
} from '#domain';
import type { RecordedEvent, SqliteEventStore } from '#eventstore';
import { type CommandContext, type DecidedEvent, toNewEvents } from '../command-handling/command-context.js';
import { loadState } from '../command-handling/event-sourced-command.js';
import { ChannelSessionAdmission, DEFAULT_SESSION_CAPS } from './channel-session-admission.js';
import { RouteCustomerMessageCommand } from './route-customer-message.command.js';
import { RouteCustomerMessageHandler } from './route-customer-message.handler.js';
import { openTemporaryEventStore } from './session-engine.fixture.js';

const WORKSPACE = 'acme';
const CHANNEL = 'web-1';
const CONTACT = 'contact-1';
const WORKFLOW = 'wf-1';
const CONVERSATION = conversationStreamName(CHANNEL, CONTACT);

const FIRST_STEPS: StepDefinition[] = [{ id: 'hello', type: 'send_message', text: 'Hello' }];
const CURRENT_STEPS: StepDefinition[] = [
  { id: 'ask_name', type: 'ask_question', text: 'What is your name?', variable: 'name' },
  { id: 'thanks', type: 'send_message', text: 'Thanks, {{name}}' },
];
const CURRENT_SETTINGS: WorkflowSettings = { sessionTimeoutSeconds: 600 };

const admin: CommandContext = {
  actor: { sub: 'admin-1', role: 'admin' },
  workspace: WORKSPACE,
  correlationId: 'setup',
  causationId: 'setup',
};

type RecordedMessage = RecordedEvent<'MessageReceived', MessageReceived['data']>;

describe('RouteCustomerMessageHandler', () => {
  let store: SqliteEventStore;
  let dispose: () => Promise<void>;
  let handler: RouteCustomerMessageHandler;
  let admission: ChannelSessionAdmission;

  beforeEach(async () => {
    ({ store, dispose } = await openTemporaryEventStore());
    admission = new ChannelSessionAdmission(DEFAULT_SESSION_CAPS);
    handler = new RouteCustomerMessageHandler(store, admission);
  });
  afterEach(async () => {
    await dispose();
  });

  const append = (streamName: string, ...events: DecidedEvent[]) => store.appendToStream(streamName, toNewEvents(events, admin));

  /** A workflow at version 3: created, then published twice; the last publication is the current one. */
  const createWorkflow = (workflowId = WORKFLOW, workspace = WORKSPACE) =>
    append(
      workflowStreamName(workflowId),
      { type: 'WorkflowCreated', data: { workflowId, workspace, name: `Workflow ${workflowId}`, version: 1 } },
      { type: 'WorkflowDefinitionPublished', data: { workflowId, version: 2, steps: FIRST_STEPS, settings: {} } },
      { type: 'WorkflowDefinitionPublished', data: { workflowId, version: 3, steps: CURRENT_STEPS, settings: CURRENT_SETTINGS } },
    );
  const deleteWorkflow = (workflowId = WORKFLOW) =>
    append(workflowStreamName(workflowId), { type: 'WorkflowDeleted', data: { workflowId, name: `Workflow ${workflowId}` } });
  const createChannel = () =>
    append(channelStreamName(CHANNEL), {
      type: 'ChannelCreated',
      data: { channelId: CHANNEL, workspace: WORKSPACE, channelType: 'webchat', name: 'Web chat', config: {} },
    });
  const assignWorkflow = (workflowId = WORKFLOW) =>
    append(channelStreamName(CHANNEL), { type: 'ChannelWorkflowAssigned', data: { channelId: CHANNEL, workflowId } });

  /** Records the contact's message on the conversation, as the channel does, and reads it back. */
  const receive = async (messageId: string, text: string): Promise<RecordedMessage> => {
    const data: MessageReceived['data'] = {
      channelId: CHANNEL,
      contactId: CONTACT,
      contactName: 'Ada',
      messageId,
      text,
      receivedAt: new Date().toISOString(),
    };
    const fromChannel: CommandContext = {
      actor: { sub: CHANNEL, role: 'channel' },
      workspace: WORKSPACE,
      correlationId: `delivery-${messageId}`,
      causationId: `delivery-${messageId}`,
    };
    await store.appendToStream(CONVERSATION, toNewEvents([{ type: 'MessageReceived', data }], fromChannel));
    const recorded = (await store.readStream(CONVERSATION)).find(
      (event) => event.type === 'MessageReceived' && event.data.messageId === messageId,
    );
    return recorded as RecordedMessage;
  };

  const route = async (message: RecordedMessage): Promise<RouteCustomerMessageCommand> => {
    const command = new RouteCustomerMessageCommand(message);
    await handler.execute(command);
    return command;
  };

  /** The conversation's routing events, without the messages themselves. */
  const routings = async () =>
    (await store.readStream(CONVERSATION)).filter(({ type }) => type !== 'MessageReceived').map(({ type, data }) => ({ type, data }));
  const sessionIdOf = async (messageId: string): Promise<string> => {
    const routed = (await store.readStream(CONVERSATION)).find(
      (event) => event.type === 'MessageRoutedToSession' && event.data.messageId === messageId,
    );
    if (routed === undefined) throw new Error(`${messageId} was not routed to a session`);
    return routed.data.sessionId as string;
  };
  /** The route an earlier handling recorded before it stopped, e.g. in a crash. */
  const recordRouteOfEarlierAttempt = (messageId: string, sessionId: string) =>
    append(CONVERSATION, {
      type: 'MessageRoutedToSession',
      data: { channelId: CHANNEL, contactId: CONTACT, messageId, sessionId, workflowId: WORKFLOW, startsSession: true },
    });
  const sessionEvents = (sessionId: string) => store.readStream(sessionStreamName(sessionId));
  const sessionsStarted = async () => (await store.readAll()).filter(({ type }) => type === 'SessionStarted');

  describe('with a workflow assigned to the channel', () => {
    beforeEach(async () => {
      await createWorkflow();
      await createChannel();
      await assignWorkflow();
    });

    it('starts a session on the workflow’s current version, with the message as its first', async () => {
      const message = await receive('m-1', 'Hi');

      await route(message);

      const sessionId = await sessionIdOf('m-1');
      const events = await sessionEvents(sessionId);
      expect(events.map(({ type }) => type)).toEqual([
        'SessionStarted',
        'CustomerMessageReceived',
        'StepEntered',
        'MessageSent',
        'QuestionAsked',
        'TimerScheduled',
      ]);
      expect(events[0].data).toMatchObject({
        sessionId,
        workflowId: WORKFLOW,
        workflowVersion: 3,
        workspace: WORKSPACE,
        channelId: CHANNEL,
        contactId: CONTACT,
        contactName: 'Ada',
        steps: CURRENT_STEPS,
        settings: CURRENT_SETTINGS,
      });
      expect(events[1].data).toEqual({ sessionId, messageId: 'm-1', text: 'Hi' });
      expect(events[0].metadata).toMatchObject({
        workspace: WORKSPACE,
        actor: { sub: 'session-engine', role: 'system' },
        causationId: message.id,
        correlationId: message.metadata.correlationId,
      });
      expect((await loadState(store, sessionStreamName(sessionId), sessionDecider)).status).toBe('active');
    });

    it('records on the conversation that the message started the session', async () => {
      await route(await receive('m-1', 'Hi'));

      expect(await routings()).toEqual([
        {
          type: 'MessageRoutedToSession',
          data: {
            channelId: CHANNEL,
            contactId: CONTACT,
            messageId: 'm-1',
            sessionId: await sessionIdOf('m-1'),
            workflowId: WORKFLOW,
            startsSession: true,
          },
        },
      ]);
    });

    it('settles the command’s completion only once the message is handled', async () => {
      const command = new RouteCustomerMessageCommand(await receive('m-1', 'Hi'));
      const settledEarly = await Promise.race([
        command.completion.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20)),
      ]);
      expect(settledEarly).toBe(false);

      await handler.execute(command);

      await expect(command.completion).resolves.toBeUndefined();
      expect(await sessionsStarted()).toHaveLength(1);
    });

    it('rejects the command’s completion with the error the handling failed with', async () => {
      const message = await receive('m-1', 'Hi');
      const neverReceived: RecordedMessage = { ...message, data: { ...message.data, messageId: 'm-never-received' } };
      const command = new RouteCustomerMessageCommand(neverReceived);

      await expect(handler.execute(command)).rejects.toThrow('never received');

      await expect(command.completion).rejects.toThrow('never received');
      expect(await sessionsStarted()).toEqual([]);
    });

    it('appends nothing anywhere when the same message is handled again', async () => {
      const message = await receive('m-1', 'Hi');
      await route(message);
      const before = await store.readAll();

      await route(message);

      expect(await store.readAll()).toEqual(before);
    });

    it('hands the next message to the session the contact is in', async () => {
      await route(await receive('m-1', 'Hi'));
      const sessionId = await sessionIdOf('m-1');

      await route(await receive('m-2', 'Ada'));

      expect(await sessionIdOf('m-2')).toBe(sessionId);
      expect((await routings())[1]).toEqual({
        type: 'MessageRoutedToSession',
        data: { channelId: CHANNEL, contactId: CONTACT, messageId: 'm-2', sessionId, workflowId: WORKFLOW, startsSession: false },
      });
      const taken = (await sessionEvents(sessionId)).filter(({ type }) => type === 'CustomerMessageReceived' || type === 'AnswerAccepted');
      expect(taken.map(({ type, data }) => [type, data.messageId])).toEqual([
        ['CustomerMessageReceived', 'm-1'],
        ['CustomerMessageReceived', 'm-2'],
        ['AnswerAccepted', 'm-2'],
      ]);
      expect(await sessionsStarted()).toHaveLength(1);
    });

    it('keeps the contact in their active session after the channel got another workflow', async () => {
      await createWorkflow('wf-2');
      await route(await receive('m-1', 'Hi'));
      await assignWorkflow('wf-2');

      await route(await receive('m-2', 'Ada'));

      expect(await sessionIdOf('m-2')).toBe(await sessionIdOf('m-1'));
      expect(await sessionsStarted()).toHaveLength(1);
    });

    it('starts a new session for the message after the contact’s session ended', async () => {
      await route(await receive('m-1', 'Hi'));
      const first = await sessionIdOf('m-1');
      await append(sessionStreamName(first), {
        type: 'SessionCompleted',
        data: { sessionId: first, workflowId: WORKFLOW, reason: 'flow_finished' },
      });

      await route(await receive('m-2', 'Hello again'));

      const second = await sessionIdOf('m-2');
      expect(second).not.toBe(first);
      expect((await routings())[1].data).toMatchObject({ messageId: 'm-2', sessionId: second, startsSession: true });
      const events = await sessionEvents(second);
      expect(events[0]).toMatchObject({ type: 'SessionStarted', data: { sessionId: second, workflowVersion: 3 } });
      expect(events[1].data).toEqual({ sessionId: second, messageId: 'm-2', text: 'Hello again' });
      expect((await sessionEvents(first)).some(({ data }) => data.messageId === 'm-2')).toBe(false);
    });

    it('follows a route recorded by an earlier attempt that did not get to start the session', async () => {
      const message = await receive('m-1', 'Hi');
      await recordRouteOfEarlierAttempt('m-1', 'session-from-before');

      await route(message);

      expect((await sessionEvents('session-from-before'))[0]).toMatchObject({
        type: 'SessionStarted',
        data: { sessionId: 'session-from-before', workflowId: WORKFLOW, workflowVersion: 3 },
      });
      expect(await routings()).toHaveLength(1);
    });

    it('starts no session when the workflow was deleted between routing the message and starting it', async () => {
      const message = await receive('m-1', 'Hi');
      await recordRouteOfEarlierAttempt('m-1', 'session-from-before');
      await deleteWorkflow();
      const before = await store.readAll();

      const command = await route(message);

      await expect(command.completion).resolves.toBeUndefined();
      expect(await store.readAll()).toEqual(before);
      expect(await sessionEvents('session-from-before')).toEqual([]);
    });
  });

  describe('on a channel with a cap of one open session', () => {
    const OTHER_SESSION = 'session-of-another-contact';
    const refusal = {
      type: 'SessionRefused',
      data: {
        channelId: CHANNEL,
        contactId: CONTACT,
        messageId: 'm-1',
        workflowId: WORKFLOW,
        reason: 'channel_session_cap',
        openSessions: 1,
        maxOpenSessions: 1,
      },
    };
    /** What the engine does once it has committed the start, or the end, of another contact's session. */
    const otherSession = (kind: 'opened' | 'closed') =>
      admission.followCommit([], [{ kind, channelId: CHANNEL, sessionId: OTHER_SESSION }]);

    beforeEach(async () => {
      admission = new ChannelSessionAdmission({ maxOpenSessionsPerChannel: 1 });
      handler = new RouteCustomerMessageHandler(store, admission);
      await createWorkflow();
      await createChannel();
      await assignWorkflow();
    });

    it('records the session as refused while another contact has the place, keeping the message and not its text', async () => {
      otherSession('opened');

      await route(await receive('m-1', 'Hi there'));

      expect(await routings()).toEqual([refusal]);
      expect(await sessionsStarted()).toEqual([]);
      const conversation = await store.readStream(CONVERSATION);
      expect(conversation.find(({ type }) => type === 'MessageReceived')?.data.text).toBe('Hi there');
      expect(JSON.stringify(conversation.find(({ type }) => type === 'SessionRefused'))).not.toContain('Hi there');
      expect(admission.status()).toMatchObject({ openSessions: 1, channelsAtCap: 1 });
    });

    it('counts a session from its route on, before the engine has committed its start', async () => {
      await route(await receive('m-1', 'Hi'));

      expect(await sessionsStarted()).toHaveLength(1);
      expect(admission.status()).toMatchObject({ openSessions: 1, channelsAtCap: 1 });
      expect(admission.admit(CHANNEL, OTHER_SESSION)).toEqual({ open: 1, max: 1 });
      expect(admission.status().openSessions).toBe(1);
    });

    it('leaves a refused message refused when handled again, even once the channel has room', async () => {
      otherSession('opened');
      const message = await receive('m-1', 'Hi');
      await route(message);
      otherSession('closed');
      const before = await store.readAll();

      await route(message);

      expect(await store.readAll()).toEqual(before);
      expect(admission.status().openSessions).toBe(0);
    });

    it('starts a session with the contact’s next message once the other session has ended', async () => {
      otherSession('opened');
      await route(await receive('m-1', 'Hi'));
      otherSession('closed');

      await route(await receive('m-2', 'Hello again'));

      expect((await routings()).map(({ type }) => type)).toEqual(['SessionRefused', 'MessageRoutedToSession']);
      expect(await sessionIdOf('m-2')).toBe((await sessionsStarted())[0].data.sessionId);
    });

    it('follows a start recorded before a restart whatever the count, and counts it', async () => {
      otherSession('opened');
      const message = await receive('m-1', 'Hi');
      await recordRouteOfEarlierAttempt('m-1', 'session-from-before');

      await route(message);

      expect((await sessionEvents('session-from-before'))[0]).toMatchObject({ type: 'SessionStarted' });
      expect(admission.status().openSessions).toBe(2);
    });

    it('gives the place back when the session does not start after all', async () => {
      const message = await receive('m-1', 'Hi');
      await recordRouteOfEarlierAttempt('m-1', 'session-from-before');
      await deleteWorkflow();

      await route(message);

      expect(admission.status()).toMatchObject({ openSessions: 0, channelsAtCap: 0 });
    });
  });

  describe('without a workflow to run', () => {
    const notRouted = {
      type: 'MessageNotRouted',
      data: { channelId: CHANNEL, contactId: CONTACT, messageId: 'm-1', reason: 'no_workflow' },
    };

    beforeEach(async () => {
      await createChannel();
    });

    it('records the message as not routed, and starts no session, when the channel has no workflow', async () => {
      await route(await receive('m-1', 'Hi'));

      expect(await routings()).toEqual([notRouted]);
      expect(await sessionsStarted()).toEqual([]);
    });

    it('records the message as not routed when the channel’s workflow was deleted', async () => {
      await createWorkflow();
      await assignWorkflow();
      await deleteWorkflow();

      await route(await receive('m-1', 'Hi'));

      expect(await routings()).toEqual([notRouted]);
      expect(await sessionsStarted()).toEqual([]);
    });

    it('never runs a workflow of another workspace, whatever the channel names', async () => {
      await createWorkflow('wf-elsewhere', 'globex');
      await assignWorkflow('wf-elsewhere');

      await route(await receive('m-1', 'Hi'));

      expect(await routings()).toEqual([notRouted]);
      expect(await sessionsStarted()).toEqual([]);
    });

    it('appends nothing when the unrouted message is handled again', async () => {
      const message = await receive('m-1', 'Hi');
      await route(message);
      const before = await store.readAll();

      await route(message);

      expect(await store.readAll()).toEqual(before);
    });
  });
});
