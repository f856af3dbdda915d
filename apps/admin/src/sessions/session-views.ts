/** A session as `GET /workflows/:id/sessions` lists it. */
export interface SessionSummary {
  id: string;
  workflowId: string;
  workflowVersion: number;
  channelId: string;
  contactId: string;
  status: 'active' | 'ended';
  currentStepId: string | null;
  endReason: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface TranscriptMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  choices?: { label: string; value: string }[];
}

/** `GET /sessions/:id`. */
export interface SessionDetails extends SessionSummary {
  variables: Record<string, string | number>;
  team: string | null;
  transcript: TranscriptMessage[];
}

const END_REASONS: Record<string, string> = {
  flow_finished: 'The flow finished',
  routed_to_team: 'Handed over to a team',
  invalid_answer: 'Too many invalid answers',
  question_timeout: 'No answer in time',
  flow_error: 'The flow could not run (a missing step or an endless loop)',
  deactivated: 'An admin deactivated the sessions',
  expired: 'No activity for too long',
  terminated: 'The workflow was deleted',
};

export const endReasonText = (reason: string | null): string => (reason === null ? '—' : (END_REASONS[reason] ?? reason));

export const timeText = (at: string | null): string => (at === null ? '—' : new Date(at).toLocaleString());
