import type { ConversationMessageDocument, SessionDocument } from '#readmodel';

/** A session as lists show it. */
export const sessionSummary = (session: SessionDocument) => ({
  id: session.id,
  workflowId: session.workflowId,
  workflowVersion: session.workflowVersion,
  channelId: session.channelId,
  contactId: session.contactId,
  status: session.status,
  currentStepId: session.currentStepId,
  endReason: session.endReason,
  startedAt: session.startedAt,
  endedAt: session.endedAt,
});

/** A message as transcripts show it; choices only on questions that offer them. */
export const messageView = (message: ConversationMessageDocument) => ({
  id: message.id,
  direction: message.direction,
  text: message.text,
  at: message.at,
  ...(message.choices === null ? {} : { choices: message.choices }),
});
