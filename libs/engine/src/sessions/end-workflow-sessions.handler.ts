import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { channelDecider, channelStreamName, sessionDecider, sessionStreamName } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelDocument, type ReadModelStore } from '#readmodel';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand } from '../command-handling/event-sourced-command.js';
import { EndWorkflowSessionsCommand } from './end-workflow-sessions.command.js';
import {
  ENGINE_ACTIVE_SESSIONS_COLLECTION,
  ENGINE_CHANNELS_COLLECTION,
  type EngineActiveSession,
} from './session-engine-state.projection.js';

const PAGE_SIZE = 500;
/** Sessions ended at once: enough to be quick, few enough not to swamp the event store. */
const PARALLEL_ENDINGS = 16;

/**
 * The engine's state holds exactly the sessions active before the cause (it is committed event by
 * event, in log order): a session that starts after the cause is not ended by it. A session
 * started before a deletion but recorded after it is ended when the engine sees it start.
 */
@CommandHandler(EndWorkflowSessionsCommand)
export class EndWorkflowSessionsHandler implements ICommandHandler<EndWorkflowSessionsCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  execute(command: EndWorkflowSessionsCommand): Promise<void> {
    return command.complete(this.end(command));
  }

  private async end(command: EndWorkflowSessionsCommand): Promise<void> {
    const { workflowId, ending, context } = command;
    const sessions = await this.all<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION, context.workspace, workflowId, 'startedAt');
    const type = ending === 'deactivate' ? 'DeactivateSession' : 'TerminateSession';
    await inParallel(sessions, PARALLEL_ENDINGS, ({ id: sessionId }) =>
      handleEventSourcedCommand(
        this.store,
        sessionStreamName(sessionId),
        sessionDecider,
        { type, data: { sessionId } },
        context,
        RETRY_ON_BUSY_STREAM,
      ),
    );
    if (ending === 'deactivate') return;
    const channels = await this.all(ENGINE_CHANNELS_COLLECTION, context.workspace, workflowId, 'id');
    await inParallel(channels, PARALLEL_ENDINGS, ({ id: channelId }) =>
      handleEventSourcedCommand(
        this.store,
        channelStreamName(channelId),
        channelDecider,
        { type: 'UnassignDeletedWorkflow', data: { channelId, workflowId } },
        context,
        { retryOnConflict: true },
      ),
    );
  }

  private async all<T extends ReadModelDocument>(collection: string, workspace: string, workflowId: string, orderBy: string): Promise<T[]> {
    const found: T[] = [];
    for (;;) {
      const last = found.at(-1);
      const page = await this.readModel.list<T>(collection, {
        workspace,
        where: { workflowId },
        orderBy,
        limit: PAGE_SIZE,
        ...(last === undefined ? {} : { before: { value: String(last[orderBy]), id: last.id } }),
      });
      found.push(...page);
      if (page.length < PAGE_SIZE) return found;
    }
  }
}

/** Runs `work` for every item, at most `limit` at a time; fails with the first failure after all ran. */
export async function inParallel<Item>(items: readonly Item[], limit: number, work: (item: Item) => Promise<unknown>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
