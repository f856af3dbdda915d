import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type SessionEvent, sessionDecider, sessionStreamName } from '#domain';
import { AI_AGENT, type AgentHistoryEntry, type AiAgent } from '#channels';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { RETRY_ON_BUSY_STREAM, handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { RunAgentTurnCommand } from './deferred-work.commands.js';
import { ENGINE_OBSERVER, type EngineObserver } from './engine-observer.js';

/**
 * Asks the AI agent for its reply to an AgentInvoked request, then records the outcome. The
 * request was recorded first; done again after a crash it is sent again with the same
 * idempotency key, and only the first outcome recorded counts.
 */
@CommandHandler(RunAgentTurnCommand)
export class RunAgentTurnHandler implements ICommandHandler<RunAgentTurnCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AI_AGENT) private readonly agent: AiAgent,
    @Optional() @Inject(ENGINE_OBSERVER) private readonly observer?: EngineObserver,
  ) {}

  async execute(command: RunAgentTurnCommand): Promise<void> {
    const { sessionId, workId: requestId } = command;
    const state = await loadState(this.store, sessionStreamName(sessionId), sessionDecider);
    if (state.status !== 'active' || state.waitingFor?.kind !== 'agent' || state.waitingFor.requestId !== requestId) return;
    const { stepId } = state.waitingFor;
    const step = state.steps.find(({ id }) => id === stepId);
    const instructions = step?.type === 'invoke_ai_agent' ? step.instructions : '';
    const history = conversationHistory((await this.store.readStream(sessionStreamName(sessionId))) as unknown as SessionEvent[]);
    const askedAt = performance.now();
    const outcome = await this.agent.respond({ requestId, instructions, history });
    this.observer?.agentCalled(outcome.kind, (performance.now() - askedAt) / 1000);
    const now = new Date().toISOString();
    await handleEventSourcedCommand(
      this.store,
      sessionStreamName(sessionId),
      sessionDecider,
      outcome.kind === 'reply'
        ? { type: 'RecordAgentReply', data: { sessionId, requestId, text: outcome.text, handoff: outcome.handoff, now } }
        : { type: 'RecordAgentFailure', data: { sessionId, requestId, reason: outcome.reason, now } },
      command.context,
      RETRY_ON_BUSY_STREAM,
    );
  }
}

/** What the customer said and what the session said to them, oldest first. */
function conversationHistory(events: readonly SessionEvent[]): AgentHistoryEntry[] {
  return events.flatMap((event): AgentHistoryEntry[] => {
    if (event.type === 'CustomerMessageReceived') return [{ role: 'customer', text: event.data.text }];
    if (event.type === 'MessageSent') return [{ role: 'agent', text: event.data.text }];
    return [];
  });
}
