export * from './command-handling/command-context.js';
export * from './command-handling/event-sourced-command.js';
export * from './sessions/session-engine.module.js';
export { SessionEngine } from './sessions/session-engine.service.js';
export { DEFAULT_MAX_OPEN_SESSIONS_PER_CHANNEL, type SessionCaps, type SessionCapsStatus } from './sessions/channel-session-admission.js';
export { ENGINE_OBSERVER, type EngineObserver } from './sessions/engine-observer.js';
export { SESSION_ENGINE_PROJECTION, sessionEngineStateProjection } from './sessions/session-engine-state.projection.js';
