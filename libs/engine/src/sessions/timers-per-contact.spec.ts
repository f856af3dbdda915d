/**
 * How many timers one contact can make the engine owe: no cap is configured for it because the
 * bound holds by construction — a conversation (one contact on one channel) has at most one
 * active session, and a session owes at most its inactivity timer and its step's timer, each
 * replaced by the next one and all settled when it ends. Checked here against any behaviour of
 * the contact, through the engine's own handlers and state on real stores.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  channelDecider,
  channelStreamName,
  conversationDecider,
  conversationStreamName,
  workflowDecider,
  workflowStreamName,
} from '#domain';
import type { RecordedEvent } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import { handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { ChannelSessionAdmission, DEFAULT_SESSION_CAPS } from './channel-session-admission.js';
import { FireSessionTimerCommand } from './deferred-work.commands.js';
import { FireSessionTimerHandler } from './fire-session-timer.handler.js';
import { RouteCustomerMessageCommand } from './route-customer-message.command.js';
import { RouteCustomerMessageHandler } from './route-customer-message.handler.js';
import {
  ENGINE_ACTIVE_SESSIONS_COLLECTION,
  ENGINE_PENDING_WORK_COLLECTION,
  ENGINE_SCOPE,
  type EngineActiveSession,
  type PendingWork,
} from './session-engine-state.projection.js';
import { commitToEngineState, openTemporaryEventStore, openTemporaryReadModelStore } from './session-engine.fixture.js';

const WORKSPACE = 'acme';
const WORKFLOW = 'wf-timers';
const CHANNEL = 'web-timers';
const CONTACT = 'visitor-1';

/** Every kind of timer: inactivity, a question's timeout (asked again on each wrong answer), a wait. */
const TIMED_FLOW = [
  {
    id: 'ask',
    type: 'ask_question',
    text: 'How many?',
    variable: 'n',
    answerType: 'number',
    maxRetries: 5,
    timeoutSeconds: 60,
    timeoutNext: 'pause',
  },
  { id: 'pause', type: 'wait', seconds: 30 },
  { id: 'again', type: 'ask_question', text: 'Still there?', variable: 'still', timeoutSeconds: 60 },
];

const admin: CommandContext = {
  actor: { sub: 'admin-1', role: 'admin' },
  workspace: WORKSPACE,
  correlationId: 'setup',
  causationId: 'setup',
};
const once = { retryOnConflict: false };

type ContactAction = { kind: 'say'; text: string } | { kind: 'fire'; pick: number };

const contactAction: fc.Arbitrary<ContactAction> = fc.oneof(
  fc.record({ kind: fc.constant('say' as const), text: fc.constantFrom('42', 'not a number', 'hello') }),
  fc.record({ kind: fc.constant('fire' as const), pick: fc.nat() }),
);

describe('timers one contact can make the engine owe', () => {
  it('are at most two, in at most one active session, whatever the contact says and whichever timers fire', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactAction, { minLength: 1, maxLength: 25 }), async (actions) => {
        const events = await openTemporaryEventStore();
        const engineState = await openTemporaryReadModelStore();
        try {
          const log = events.store;
          const router = new RouteCustomerMessageHandler(log, new ChannelSessionAdmission(DEFAULT_SESSION_CAPS));
          const timers = new FireSessionTimerHandler(log);
          let followed: string | undefined;
          /** The engine's state follows the log, as the engine commits it. */
          const follow = async (): Promise<RecordedEvent[]> => {
            const recorded = await log.readAll({ after: followed });
            if (recorded.length > 0) await commitToEngineState(engineState.store, ...recorded);
            followed = recorded.at(-1)?.position ?? followed;
            return recorded;
          };
          const owedTimers = async () =>
            (
              await engineState.store.list<PendingWork>(ENGINE_PENDING_WORK_COLLECTION, {
                workspace: ENGINE_SCOPE,
                orderBy: 'dueAt',
                limit: 100,
              })
            ).filter(({ kind }) => kind === 'timer');

          const workflow = workflowStreamName(WORKFLOW);
          await handleEventSourcedCommand(
            log,
            workflow,
            workflowDecider,
            { type: 'CreateWorkflow', data: { workflowId: WORKFLOW, workspace: WORKSPACE, name: 'Timers' } },
            admin,
            once,
          );
          const definition = { workflowId: WORKFLOW, workspace: WORKSPACE, steps: TIMED_FLOW, settings: { sessionTimeoutSeconds: 600 } };
          await handleEventSourcedCommand(
            log,
            workflow,
            workflowDecider,
            { type: 'PublishWorkflowDefinition', data: definition },
            admin,
            once,
          );
          const channel = channelStreamName(CHANNEL);
          const created = { channelId: CHANNEL, workspace: WORKSPACE, channelType: 'webchat', name: 'Chat', config: {} } as const;
          await handleEventSourcedCommand(log, channel, channelDecider, { type: 'CreateChannel', data: created }, admin, once);
          const assigned = {
            channelId: CHANNEL,
            workspace: WORKSPACE,
            workflowId: WORKFLOW,
            workflow: await loadState(log, workflow, workflowDecider),
          };
          await handleEventSourcedCommand(log, channel, channelDecider, { type: 'AssignWorkflow', data: assigned }, admin, once);
          await follow();

          for (const [index, action] of actions.entries()) {
            if (action.kind === 'say') {
              const messageId = `m-${index}`;
              const message = {
                channelId: CHANNEL,
                contactId: CONTACT,
                messageId,
                text: action.text,
                receivedAt: new Date().toISOString(),
              };
              const conversation = conversationStreamName(CHANNEL, CONTACT);
              await handleEventSourcedCommand(
                log,
                conversation,
                conversationDecider,
                { type: 'ReceiveMessage', data: message },
                admin,
                once,
              );
              const [received] = (await follow()).filter(({ type }) => type === 'MessageReceived');
              await router.execute(new RouteCustomerMessageCommand(received as RecordedEvent<'MessageReceived', typeof message>));
            } else {
              const owed = await owedTimers();
              const timer = owed[action.pick % Math.max(owed.length, 1)];
              if (timer !== undefined) await timers.execute(new FireSessionTimerCommand(timer.sessionId, WORKSPACE, timer.id));
            }
            await follow();
            expect((await owedTimers()).length).toBeLessThanOrEqual(2);
            const active = await engineState.store.list<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION, {
              workspace: WORKSPACE,
              where: { workflowId: WORKFLOW },
              orderBy: 'startedAt',
              limit: 10,
            });
            expect(active.length).toBeLessThanOrEqual(1);
          }
        } finally {
          await events.dispose();
          await engineState.dispose();
        }
      }),
      { numRuns: 15 },
    );
  });
});
