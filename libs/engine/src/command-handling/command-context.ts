import { randomUUID } from 'node:crypto';
import type { Actor, EventMetadata, NewEvent } from '#eventstore';

/** Who asks, on behalf of which workspace, and which request or event caused it. */
export interface CommandContext {
  actor: Actor;
  workspace: string;
  correlationId: string;
  causationId: string;
}

/** A decider's output before it becomes a stored event. */
export interface DecidedEvent {
  type: string;
  data: object;
}

export const toNewEvents = (
  events: readonly DecidedEvent[],
  context: CommandContext,
  now: Date = new Date(),
): NewEvent[] => {
  const metadata: EventMetadata = {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
    occurredAt: now.toISOString(),
    workspace: context.workspace,
  };
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata,
  }));
};
