/** What the audit API answers: events straight from the log, never from a projection. */
export interface AuditEvent {
  id: string;
  position: string;
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor?: { sub: string; role: string }; occurredAt?: string; [key: string]: unknown };
  recordedAt: string;
}

export interface AuditPage {
  items: AuditEvent[];
  /** Where the next page starts; null once the end of the log was reached. */
  next: string | null;
}

export interface WorkflowHistory {
  workflowId: string;
  items: (AuditEvent & { summary: string })[];
}

export interface WorkflowStep {
  id: string;
  type: string;
  [field: string]: unknown;
}

export interface WorkflowAsOf {
  workflowId: string;
  asOf: { revision: number; position: string; recordedAt: string };
  state:
    | { status: 'initial' }
    | { status: 'active'; name: string; version: number; steps: WorkflowStep[] }
    | { status: 'deleted'; name: string; version: number };
}

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

export const actorOf = (event: AuditEvent): string =>
  event.metadata.actor === undefined ? '—' : `${event.metadata.actor.sub} (${event.metadata.actor.role})`;

export const formatTime = (iso: string): string => new Date(iso).toLocaleString();
