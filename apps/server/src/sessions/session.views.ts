import type { SessionEndReason } from '#domain';
import type { ConversationMessageDocument, SessionDocument } from '#readmodel';
import type { SessionSummaryDto, TranscriptMessageDto } from './session.responses.js';

/** A session as lists show it. */
export const sessionSummary = (session: SessionDocument): SessionSummaryDto => ({
  id: session.id,
  workflowId: session.workflowId,
  workflowVersion: session.workflowVersion,
  channelId: session.channelId,
  contactId: session.contactId,
  status: session.status,
  currentStepId: session.currentStepId,
  // The sessions projection records only the reasons SessionEndReason names.
  endReason: session.endReason as SessionEndReason | null,
  startedAt: session.startedAt,
  endedAt: session.endedAt,
});

/** A message as transcripts show it; choices only on questions that offer them. */
export const messageView = (message: ConversationMessageDocument): TranscriptMessageDto => ({
  id: message.id,
  direction: message.direction,
  text: message.text,
  at: message.at,
  ...(message.choices === null ? {} : { choices: message.choices }),
});
