import type { Schemas } from '../api/api-client.js';

/** A session as `GET /workflows/:id/sessions` lists it. */
export type SessionSummary = Schemas['SessionSummaryDto'];

/** `GET /sessions/:id`. */
export type SessionDetails = Schemas['SessionDetailsDto'];

type EndReason = NonNullable<SessionSummary['endReason']>;

/** Every end reason the document names, in words. */
const END_REASONS: Record<EndReason, string> = {
  flow_finished: 'The flow finished',
  routed_to_team: 'Handed over to a team',
  invalid_answer: 'Too many invalid answers',
  question_timeout: 'No answer in time',
  flow_error: 'The flow could not run (a missing step or an endless loop)',
  deactivated: 'Ended by an admin (Deactivate Sessions, or a Try it preview closed)',
  expired: 'No activity for too long',
  terminated: 'The workflow was deleted',
};

export const endReasonText = (reason: EndReason | null): string => (reason === null ? '—' : END_REASONS[reason]);

export const timeText = (at: string | null): string => (at === null ? '—' : new Date(at).toLocaleString());
