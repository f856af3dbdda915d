import { Injectable, Logger } from '@nestjs/common';
import { type ICommand, type IEvent, Saga, ofType } from '@nestjs/cqrs';
import { type Observable, finalize, mergeMap } from 'rxjs';
import type {
  ChannelWebhookReceived,
  ChannelWorkflowAssigned,
  MessageReceived,
  SessionStarted,
  WorkflowDeleted,
  WorkflowSessionsDeactivationRequested,
} from '#domain';
import { recordedEventsOf } from '#readmodel';
import { EndWorkflowSessionsCommand } from './end-workflow-sessions.command.js';
import { FollowWorkflowDeletionCommand } from './follow-workflow-deletion.command.js';
import { LoggedEvent } from './logged-event.js';
import { ProcessChannelWebhookCommand } from './process-channel-webhook.command.js';
import { RouteCustomerMessageCommand } from './route-customer-message.command.js';
import type { SagaCommand } from './saga-command.js';

type SagaEvent =
  | ChannelWebhookReceived
  | MessageReceived
  | WorkflowSessionsDeactivationRequested
  | WorkflowDeleted
  | SessionStarted
  | ChannelWorkflowAssigned;

const handledEvent = recordedEventsOf<SagaEvent>(
  'ChannelWebhookReceived',
  'MessageReceived',
  'WorkflowSessionsDeactivationRequested',
  'WorkflowDeleted',
  'SessionStarted',
  'ChannelWorkflowAssigned',
);

/**
 * Reactions that read the engine's state (the sessions active, the channels assigned) at their
 * event's position: they wait until every earlier event is stored, and later reactions wait for
 * them — so a deactivation ends exactly the sessions active before it.
 */
export const REACTIONS_TO_ENGINE_STATE: ReadonlySet<string> = new Set<SagaEvent['type']>([
  'WorkflowSessionsDeactivationRequested',
  'WorkflowDeleted',
]);

/**
 * What the engine does in reaction to the log. Fed by the engine's checkpointed subscription (never
 * by in-process publishing alone), so after a crash it sees again every event whose commands had
 * not all completed. Timers and AI agent requests are not here: they are owed work, done by the
 * deferred-work scheduler when due.
 */
@Injectable()
export class SessionSaga {
  private readonly logger = new Logger('SessionSaga');
  private markRegistered!: () => void;
  /** Resolves once @nestjs/cqrs has subscribed the saga: events published before would be lost. */
  readonly registered = new Promise<void>((resolve) => {
    this.markRegistered = resolve;
  });
  isRegistered = false;
  private markUnsubscribed!: () => void;
  /**
   * Resolves once @nestjs/cqrs has unsubscribed the saga, as its EventBus does when its module is
   * destroyed at shutdown, before the server's other parts stop: events published after reach nothing.
   */
  readonly unsubscribed = new Promise<void>((resolve) => {
    this.markUnsubscribed = resolve;
  });
  isListening = false;

  @Saga()
  sessionReactions = (events$: Observable<IEvent>): Observable<ICommand> => {
    this.isRegistered = true;
    this.isListening = true;
    this.markRegistered();
    // A saga stream ends at its first uncaught error: mapping errors are caught per event.
    return events$.pipe(
      ofType(LoggedEvent),
      mergeMap((logged) => this.commandsFor(logged)),
      finalize(() => {
        this.isListening = false;
        this.markUnsubscribed();
      }),
    );
  };

  private commandsFor(logged: LoggedEvent): SagaCommand[] {
    try {
      const command = this.commandFor(logged);
      return command === undefined ? [] : [logged.issue(command)];
    } catch (error) {
      this.logger.error(`No reaction to event ${logged.recorded.id}: ${(error as Error).message}`);
      return [];
    }
  }

  private commandFor(logged: LoggedEvent): SagaCommand | undefined {
    const cause = logged.recorded;
    const event = handledEvent(cause);
    switch (event?.type) {
      case undefined:
        return undefined;
      case 'ChannelWebhookReceived':
        return new ProcessChannelWebhookCommand(event);
      case 'MessageReceived':
        return new RouteCustomerMessageCommand(event);
      case 'WorkflowSessionsDeactivationRequested':
        return new EndWorkflowSessionsCommand(cause, event.data.workflowId, 'deactivate');
      case 'WorkflowDeleted':
        return new EndWorkflowSessionsCommand(cause, event.data.workflowId, 'terminate');
      case 'SessionStarted':
        return new FollowWorkflowDeletionCommand(cause, event.data.workflowId, { sessionId: event.data.sessionId });
      case 'ChannelWorkflowAssigned':
        return new FollowWorkflowDeletionCommand(cause, event.data.workflowId, { channelId: event.data.channelId });
    }
  }
}
