export * from './channel/channel-name.js';
export * from './channel/channel-config.js';
export * from './channel/channel.decider.js';
export * from './channel/channel.errors.js';
export * from './channel/channel.events.js';
export * from './conversation/conversation.decider.js';
export * from './conversation/conversation.events.js';
export * from './decider.js';
export * from './delivery/delivery.decider.js';
export * from './delivery/delivery.events.js';
export * from './errors.js';
export * from './session/answer.js';
export * from './session/branch.js';
export * from './session/session.decider.js';
export * from './session/session.events.js';
export { DEFAULT_MAX_AGENT_TURNS, DEFAULT_MAX_RETRIES, DEFAULT_SESSION_TIMEOUT_SECONDS, STEP_BUDGET } from './session/session.flow.js';
export {
  pendingTimers,
  type ActiveSession,
  type EndedSession,
  type IssuedCounts,
  type SessionEndReason,
  type SessionState,
  type SessionWaitingFor,
  type StartedSession,
} from './session/session.state.js';
export * from './session/template.js';
export * from './session/variables.js';
export * from './workflow/step.json-schema.js';
export { STEP_ID_FORMAT } from './workflow/step.fields.js';
export * from './workflow/step.schema.js';
export * from './display-name.js';
export * from './quoted-input.js';
export * from './upcasters.js';
export * from './workflow/workflow-name.js';
export * from './workflow/workflow.decider.js';
export * from './workflow/workflow.events.js';
export * from './workflow/workflow-history.js';
