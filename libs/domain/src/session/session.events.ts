/**
 * Session lifecycle facts the workflow cards count. A session is active from `SessionStarted`
 * until exactly one end event; the session engine that emits them is built on top of these shapes.
 */
export interface SessionStarted {
  type: 'SessionStarted';
  data: {
    sessionId: string;
    workflowId: string;
    workflowVersion: number;
    workspace: string;
    channelId: string;
    contactId: string;
  };
}

interface SessionEndData {
  sessionId: string;
  workflowId: string;
}

export interface SessionCompleted {
  type: 'SessionCompleted';
  data: SessionEndData & { team?: string };
}
export interface SessionDeactivated {
  type: 'SessionDeactivated';
  data: SessionEndData;
}
export interface SessionExpired {
  type: 'SessionExpired';
  data: SessionEndData;
}
export interface SessionTerminated {
  type: 'SessionTerminated';
  data: SessionEndData;
}

export type SessionEnded = SessionCompleted | SessionDeactivated | SessionExpired | SessionTerminated;

export const SESSION_END_EVENT_TYPES: ReadonlySet<string> = new Set<SessionEnded['type']>([
  'SessionCompleted',
  'SessionDeactivated',
  'SessionExpired',
  'SessionTerminated',
]);

export const sessionStreamName = (sessionId: string): string => `session-${sessionId}`;
