import { SESSION_END_EVENT_TYPES, type SessionEnded, type SessionStarted, type WorkflowEvent } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, recordedEventsOf } from '../projection.js';
import type { ProjectionTransaction, ReadModelDocument } from '../read-model-store.port.js';

export const WORKFLOW_CARDS_PROJECTION = 'workflow-cards';
export const WORKFLOW_CARDS_COLLECTION = 'workflow-cards';
/**
 * One membership per session ever started on a known card: what makes the count idempotent. It is
 * kept after its session ends, even after its workflow is deleted, so that a replayed start never
 * counts again (a transaction addresses documents by id only, so a workflow's memberships could
 * not be found to remove them anyway).
 */
export const WORKFLOW_CARD_SESSIONS_COLLECTION = 'workflow-card-sessions';

/** What the Workflows page shows for one workflow; `id` is the workflow id. */
export interface WorkflowCard extends ReadModelDocument {
  name: string;
  version: number;
  activeSessions: number;
  createdAt: string;
  updatedAt: string;
}

/** Whether one session (`id` is the session id) is still counted on its workflow's card. */
export interface WorkflowCardSession extends ReadModelDocument {
  workflowId: string;
  status: 'active' | 'ended';
}

/** Asking to deactivate sessions changes no card: the sessions' own end events do. */
type WorkflowCardEvent = Exclude<WorkflowEvent, { type: 'WorkflowSessionsDeactivationRequested' }> | SessionStarted | SessionEnded;

/** The events that change a card; every one names its workflow in `data.workflowId`. */
export const WORKFLOW_CARD_EVENT_TYPES = [
  'WorkflowCreated',
  'WorkflowCopied',
  'WorkflowRenamed',
  'WorkflowDefinitionPublished',
  'WorkflowDeleted',
  'SessionStarted',
  ...SESSION_END_EVENT_TYPES,
] as const satisfies readonly WorkflowCardEvent['type'][];

const handledEvent = recordedEventsOf<WorkflowCardEvent>(...WORKFLOW_CARD_EVENT_TYPES);

/**
 * Workflow cards with their live active-session counts. Events about a workflow or session it
 * does not know — never created, deleted, or of another workspace — are ignored.
 */
export const workflowCardsProjection: Projection = {
  name: WORKFLOW_CARDS_PROJECTION,
  collections: [WORKFLOW_CARDS_COLLECTION, WORKFLOW_CARD_SESSIONS_COLLECTION],
  /** The Workflows page, newest first. */
  indexes: [{ collection: WORKFLOW_CARDS_COLLECTION, equals: [], orderBy: 'createdAt' }],

  async apply(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const event = handledEvent(recorded);
    if (!event) return;
    const { workspace, occurredAt } = event.metadata;

    switch (event.type) {
      case 'WorkflowCreated':
      case 'WorkflowCopied': {
        const { workflowId, name, version } = event.data;
        // A redelivered creation must not reset a card that has since counted sessions.
        if (await tx.get(WORKFLOW_CARDS_COLLECTION, workflowId)) return;
        const card: WorkflowCard = {
          id: workflowId,
          workspace,
          name,
          version,
          activeSessions: 0,
          createdAt: occurredAt,
          updatedAt: occurredAt,
        };
        tx.put(WORKFLOW_CARDS_COLLECTION, card);
        return;
      }
      case 'WorkflowRenamed': {
        const card = await findCard(tx, event.data.workflowId, workspace);
        if (card) changeCard(tx, card, { name: event.data.name }, occurredAt);
        return;
      }
      case 'WorkflowDefinitionPublished': {
        const card = await findCard(tx, event.data.workflowId, workspace);
        // Versions only grow; an older publication delivered again changes nothing.
        if (card && event.data.version > card.version) {
          changeCard(tx, card, { version: event.data.version }, occurredAt);
        }
        return;
      }
      case 'WorkflowDeleted': {
        const card = await findCard(tx, event.data.workflowId, workspace);
        if (card) tx.delete(WORKFLOW_CARDS_COLLECTION, card.id);
        return;
      }
      case 'SessionStarted':
        return startSession(tx, event.data, workspace);
      default:
        return endSession(tx, event.data.sessionId, workspace);
    }
  },
};

/** `updatedAt` never moves back, so replaying an older change leaves it where it was. */
function changeCard(
  tx: ProjectionTransaction,
  card: WorkflowCard,
  change: Pick<Partial<WorkflowCard>, 'name' | 'version'>,
  occurredAt: string,
): void {
  const updatedAt = occurredAt > card.updatedAt ? occurredAt : card.updatedAt;
  tx.put(WORKFLOW_CARDS_COLLECTION, { ...card, ...change, updatedAt });
}

async function findCard(tx: ProjectionTransaction, workflowId: string, workspace: string) {
  const card = await tx.get<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, workflowId);
  return card?.workspace === workspace ? card : undefined;
}

async function startSession(
  tx: ProjectionTransaction,
  { sessionId, workflowId }: SessionStarted['data'],
  workspace: string,
): Promise<void> {
  const card = await findCard(tx, workflowId, workspace);
  // Any membership, active or already ended, means this start has been counted before.
  if (!card || (await tx.get(WORKFLOW_CARD_SESSIONS_COLLECTION, sessionId))) return;
  const membership: WorkflowCardSession = { id: sessionId, workspace, workflowId, status: 'active' };
  tx.put(WORKFLOW_CARD_SESSIONS_COLLECTION, membership);
  tx.put(WORKFLOW_CARDS_COLLECTION, { ...card, activeSessions: card.activeSessions + 1 });
}

/** Only the first end event of a counted session takes it off its card. */
async function endSession(tx: ProjectionTransaction, sessionId: string, workspace: string): Promise<void> {
  const membership = await tx.get<WorkflowCardSession>(WORKFLOW_CARD_SESSIONS_COLLECTION, sessionId);
  if (membership?.workspace !== workspace || membership.status !== 'active') return;
  tx.put(WORKFLOW_CARD_SESSIONS_COLLECTION, { ...membership, status: 'ended' });
  const card = await findCard(tx, membership.workflowId, workspace);
  if (card) tx.put(WORKFLOW_CARDS_COLLECTION, { ...card, activeSessions: card.activeSessions - 1 });
}
