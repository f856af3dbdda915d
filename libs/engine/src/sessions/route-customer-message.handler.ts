import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type ActiveWorkflow,
  type MessageRoute,
  channelDecider,
  channelStreamName,
  conversationDecider,
  conversationStreamName,
  recordedRoute,
  sessionDecider,
  sessionStreamName,
  workflowDecider,
  workflowStreamName,
} from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { derivedUuid } from '../command-handling/command-context.js';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { ChannelSessionAdmission } from './channel-session-admission.js';
import { RouteCustomerMessageCommand } from './route-customer-message.command.js';

/**
 * Routes a message first, then hands it to its session: the route is a fact of the conversation,
 * so a message handled again after a crash goes where it went the first time, and the session
 * takes it at most once (it knows the message ids it has). A message that would start a session
 * on a channel at its cap of open sessions is recorded as refused instead.
 */
@CommandHandler(RouteCustomerMessageCommand)
export class RouteCustomerMessageHandler implements ICommandHandler<RouteCustomerMessageCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly admission: ChannelSessionAdmission,
  ) {}

  execute(command: RouteCustomerMessageCommand): Promise<void> {
    return command.complete(this.route(command));
  }

  private async route(command: RouteCustomerMessageCommand): Promise<void> {
    const { channelId, messageId, text } = command.message.data;
    const { context } = command;
    const route = await this.routeOf(command);
    if (route === undefined || route === 'not_routed') return;
    const now = new Date().toISOString();
    const { sessionId } = route;
    const session = sessionStreamName(sessionId);
    if (!route.startsSession) {
      const receive = { type: 'ReceiveCustomerMessage', data: { sessionId, messageId, text, now } } as const;
      await handleEventSourcedCommand(this.store, session, sessionDecider, receive, context, RETRY_ON_BUSY_STREAM);
      return;
    }
    // Counted among the channel's open sessions from its route on (again, when the route was
    // recorded before a restart), until the engine commits its start — unless it does not start.
    this.admission.count(channelId, sessionId);
    const started = await this.startSession(command, route, now).catch((error: unknown) => {
      this.admission.withdraw(channelId, sessionId);
      throw error;
    });
    if (!started) this.admission.withdraw(channelId, sessionId);
  }

  /** Starts the session the message was routed to; false when its workflow was deleted since. */
  private async startSession(
    command: RouteCustomerMessageCommand,
    route: { sessionId: string; workflowId: string },
    now: string,
  ): Promise<boolean> {
    const { channelId, contactId, contactName, messageId, text } = command.message.data;
    const { context } = command;
    const { sessionId } = route;
    const workflow = await this.activeWorkflow(route.workflowId, context.workspace);
    if (workflow === undefined) return false;
    const { workflowId, version: workflowVersion, steps, settings } = workflow;
    await handleEventSourcedCommand(
      this.store,
      sessionStreamName(sessionId),
      sessionDecider,
      {
        type: 'StartSession',
        data: {
          sessionId,
          workflowId,
          workflowVersion,
          workspace: context.workspace,
          channelId,
          contactId,
          ...(contactName === undefined ? {} : { contactName }),
          steps,
          settings,
          firstMessage: { messageId, text },
          now,
        },
      },
      context,
      RETRY_ON_BUSY_STREAM,
    );
    return true;
  }

  /** The message's route: recorded before, or decided now from the streams it depends on. */
  private async routeOf(command: RouteCustomerMessageCommand): Promise<MessageRoute | undefined> {
    const { channelId, contactId, messageId } = command.message.data;
    const { workspace } = command.context;
    const streamName = conversationStreamName(channelId, contactId);
    const conversation = await loadState(this.store, streamName, conversationDecider);
    const recorded = recordedRoute(conversation, messageId);
    if (recorded !== undefined) return recorded;

    const { lastSessionId } = conversation;
    const lastSession =
      lastSessionId === undefined ? undefined : await loadState(this.store, sessionStreamName(lastSessionId), sessionDecider);
    const lastSessionActive = lastSession?.status === 'active';
    const assignedWorkflowId = lastSessionActive ? undefined : await this.assignedWorkflowId(channelId, workspace);
    const newSessionId = derivedUuid(`session|${channelId}|${contactId}|${messageId}`);
    // A new session would start: the channel's count is taken, and a place with it when there is room.
    const channelSessions = assignedWorkflowId === undefined ? undefined : this.admission.admit(channelId, newSessionId);
    const outcome = await handleEventSourcedCommand(
      this.store,
      streamName,
      conversationDecider,
      {
        type: 'RouteMessage',
        data: {
          messageId,
          lastSessionActive,
          ...(lastSession?.status === 'active' ? { lastSessionWorkflowId: lastSession.workflowId } : {}),
          ...(assignedWorkflowId === undefined ? {} : { assignedWorkflowId }),
          newSessionId,
          ...(channelSessions === undefined ? {} : { channelSessions }),
        },
      },
      command.context,
      RETRY_ON_BUSY_STREAM,
    ).catch((error: unknown) => {
      this.admission.withdraw(channelId, newSessionId);
      throw error;
    });
    const route = recordedRoute(outcome.state, messageId);
    if (route === undefined || route === 'not_routed' || route.sessionId !== newSessionId) this.admission.withdraw(channelId, newSessionId);
    return route;
  }

  /** The channel's workflow, if it has one that still exists. */
  private async assignedWorkflowId(channelId: string, workspace: string): Promise<string | undefined> {
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active' || channel.workflowId === undefined) return undefined;
    return (await this.activeWorkflow(channel.workflowId, workspace))?.workflowId;
  }

  private async activeWorkflow(workflowId: string, workspace: string): Promise<ActiveWorkflow | undefined> {
    const state = await loadState(this.store, workflowStreamName(workflowId), workflowDecider);
    return state.status === 'active' && state.workspace === workspace ? state : undefined;
  }
}
