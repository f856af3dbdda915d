import type { AgentOutcome, DeliveryOutcome } from '#channels';

/**
 * What the engine tells whoever watches it (the server's metrics) about its calls to the outside
 * world. Optional: an engine without one runs the same.
 */
export interface EngineObserver {
  /** One attempt to deliver a message to a push channel, and how it went. */
  deliveryAttempted(channelType: string, outcome: DeliveryOutcome['kind']): void;
  /** One call to the AI agent: how it ended and how long it took, in seconds. */
  agentCalled(outcome: AgentOutcome['kind'], seconds: number): void;
}

/** Nest injection token of the process's `EngineObserver`, when it has one. */
export const ENGINE_OBSERVER = Symbol('ENGINE_OBSERVER');
