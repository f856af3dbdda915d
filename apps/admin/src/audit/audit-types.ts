import type { Schemas } from '../api/api-client.js';
import type { paths } from '../api/openapi-schema.js';

/** What the audit API answers: events straight from the log, never from a projection. */
export type AuditPage = Schemas['AuditPageDto'];

export type AuditEvent = Schemas['AuditEventDto'];

export type WorkflowHistory = Schemas['WorkflowHistoryDto'];

export type WorkflowAsOf = Schemas['WorkflowStateDto'];

export type WorkflowStep = Schemas['ActiveWorkflowStateDto']['steps'][number];

/** Oldest first (the log's order) or newest first. */
export type AuditOrder = NonNullable<NonNullable<paths['/audit/events']['get']['parameters']['query']>['order']>;

/** `?version=` or `?at=`: the workflow as it was at one of its versions, or at a moment. */
export type AsOfQuery = NonNullable<paths['/audit/workflows/{id}/state']['get']['parameters']['query']>;

/** The event types the service records, offered in the type filter (any other name may be typed). */
export const EVENT_TYPES = [
  'WorkflowCreated',
  'WorkflowCopied',
  'WorkflowRenamed',
  'WorkflowDefinitionPublished',
  'WorkflowDeleted',
  'WorkflowSessionsDeactivationRequested',
  'ChannelCreated',
  'ChannelWorkflowAssigned',
  'ChannelWorkflowUnassigned',
  'ChannelRenamed',
  'ChannelWebhookReceived',
  'CustomerMessageReceived',
  'MessageReceived',
  'MessageRoutedToSession',
  'MessageNotRouted',
  'SessionRefused',
  'SessionStarted',
  'StepEntered',
  'MessageSent',
  'QuestionAsked',
  'AnswerAccepted',
  'AnswerRejected',
  'TimerScheduled',
  'TimerFired',
  'AgentInvoked',
  'AgentReplied',
  'AgentFailed',
  'SessionRoutedToTeam',
  'SessionCompleted',
  'SessionDeactivated',
  'SessionExpired',
  'SessionTerminated',
  'MessageDelivered',
  'MessageDeliveryAttemptFailed',
  'MessageDeliveryFailed',
  'DeliveryReceiptReceived',
];

export const WORKFLOW_STREAM = /^workflow-([0-9a-f-]{36})$/i;

export const actorOf = ({ metadata: { actor } }: Pick<AuditEvent, 'metadata'>): string => `${actor.sub} (${actor.role})`;

export const formatTime = (iso: string): string => new Date(iso).toLocaleString();
