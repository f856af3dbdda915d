import { type DynamicModule, Module } from '@nestjs/common';
import { AI_AGENT, type AiAgent } from '#channels';
import { ChannelSessionAdmission, DEFAULT_SESSION_CAPS, SESSION_CAPS, type SessionCaps } from './channel-session-admission.js';
import { DeliverOutboxHandler } from './deliver-outbox.handler.js';
import { EndWorkflowSessionsHandler } from './end-workflow-sessions.handler.js';
import { FireSessionTimerHandler } from './fire-session-timer.handler.js';
import { FollowWorkflowDeletionHandler } from './follow-workflow-deletion.handler.js';
import { ProcessChannelWebhookHandler } from './process-channel-webhook.handler.js';
import { RouteCustomerMessageHandler } from './route-customer-message.handler.js';
import { RunAgentTurnHandler } from './run-agent-turn.handler.js';
import { SessionEngine } from './session-engine.service.js';
import { SessionSaga } from './session.saga.js';

const ENGINE_PROVIDERS = [
  ChannelSessionAdmission,
  SessionSaga,
  SessionEngine,
  RouteCustomerMessageHandler,
  EndWorkflowSessionsHandler,
  FollowWorkflowDeletionHandler,
  FireSessionTimerHandler,
  RunAgentTurnHandler,
  ProcessChannelWebhookHandler,
  DeliverOutboxHandler,
];

/**
 * The session engine: saga, its command handlers, durable timers and AI agent turns; imported by
 * a process with the `engine` role. Expects EVENT_STORE and READ_MODEL_STORE from the importer.
 * `caps` bound what contacts can make it keep (undefined: the defaults).
 */
@Module({})
export class SessionEngineModule {
  static withAgent(agent: AiAgent, caps: SessionCaps = DEFAULT_SESSION_CAPS): DynamicModule {
    return {
      module: SessionEngineModule,
      providers: [...ENGINE_PROVIDERS, { provide: AI_AGENT, useValue: agent }, { provide: SESSION_CAPS, useValue: caps }],
      exports: [SessionEngine],
    };
  }
}
