export * from './read-model-store.port.js';
export { BufferedProjectionTransaction } from './buffered-projection-transaction.js';
export { combineProjections, type Projection, type Recorded, recordedEventsOf } from './projection.js';
export {
  type ChangedDocument,
  type CommitListener,
  ProjectionRunner,
  type ProjectionRunnerLogger,
  type ProjectionStatus,
} from './projection-runner.js';
export { CheckpointedLogFollower, type LogFollowerLogger } from './checkpointed-log-follower.js';
export { MongoReadModelStore, type MongoReadModelStoreOptions } from './mongodb/mongodb-read-model-store.js';
export { databaseNamedIn } from './mongodb/mongodb-names.js';
export { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
export {
  WORKFLOW_CARD_EVENT_TYPES,
  WORKFLOW_CARD_SESSIONS_COLLECTION,
  WORKFLOW_CARDS_COLLECTION,
  WORKFLOW_CARDS_PROJECTION,
  type WorkflowCard,
  type WorkflowCardSession,
  workflowCardsProjection,
} from './workflows/workflow-cards.projection.js';
export {
  WORKFLOW_VERSION_HEADS_COLLECTION,
  WORKFLOW_VERSIONS_COLLECTION,
  WORKFLOW_VERSIONS_PROJECTION,
  type WorkflowVersionDocument,
  type WorkflowVersionHead,
  workflowVersionId,
  workflowVersionsProjection,
} from './workflows/workflow-versions.projection.js';
export { WORKFLOWS_PROJECTION, workflowsProjection } from './workflows/workflows.projection.js';
export { CHANNELS_COLLECTION, CHANNELS_PROJECTION, type ChannelDocument, channelsProjection } from './channels/channels.projection.js';
export {
  CONVERSATION_MESSAGES_COLLECTION,
  CONVERSATIONS_COLLECTION,
  type ConversationDocument,
  type ConversationMessageDocument,
  conversationKey,
  SESSIONS_COLLECTION,
  SESSIONS_PROJECTION,
  type SessionDocument,
  sessionsProjection,
} from './sessions/sessions.projection.js';
export { listSessionMessages, listWorkflowSessions } from './sessions/session-queries.js';
export {
  conversationMessage,
  TRANSCRIPT_CURSOR_PATTERN,
  TRANSCRIPT_START,
  type TranscriptPage,
  type TranscriptPageStart,
  transcriptCursor,
  transcriptPage,
  transcriptPageAfterCursor,
} from './sessions/transcript-pages.js';
export {
  API_CHANNEL_OUTBOX_PROJECTION,
  API_OUTBOX_MESSAGES_COLLECTION,
  API_OUTBOX_SEQ_DIGITS,
  API_PULL_CHANNELS_COLLECTION,
  API_PULL_SESSIONS_COLLECTION,
  type ApiOutboxMessageDocument,
  apiChannelOutboxProjection,
} from './api-channel/api-channel-outbox.projection.js';
