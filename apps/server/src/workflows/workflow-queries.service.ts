import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  READ_MODEL_STORE,
  type ReadModelStore,
  WORKFLOW_CARDS_COLLECTION,
  WORKFLOW_VERSIONS_COLLECTION,
  type WorkflowCard,
  type WorkflowVersionDocument,
} from '#readmodel';
import { decodePageCursor, pageOf } from '../http/page-cursor.js';
import { DEFAULT_PAGE_SIZE } from './dto/workflow-queries.dto.js';
import type { WorkflowCardDto, WorkflowDetailsDto, WorkflowPageDto, WorkflowVersionDto } from './dto/workflow.responses.js';

/** A card as `GET /workflows` and the live stream show it. */
export const toCardView = (card: WorkflowCard): WorkflowCardDto => ({
  id: card.id,
  name: card.name,
  activeSessions: card.activeSessions,
  version: card.version,
  createdAt: card.createdAt,
  updatedAt: card.updatedAt,
});

/** Reads of the workflow projections, always within the caller's workspace. */
@Injectable()
export class WorkflowQueriesService {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore) {}

  async list(workspace: string, page: { limit?: number; cursor?: string }): Promise<WorkflowPageDto> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const cards = await this.readModel.list<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, {
      workspace,
      orderBy: 'createdAt',
      before: page.cursor === undefined ? undefined : decodePageCursor(page.cursor),
      limit: limit + 1,
    });
    const listed = pageOf(cards, limit, (card) => ({ value: card.createdAt, id: card.id }));
    return { ...listed, items: listed.items.map(toCardView) };
  }

  async get(workspace: string, workflowId: string): Promise<WorkflowDetailsDto> {
    const card = await this.card(workspace, workflowId);
    const definition = await this.version(workspace, workflowId, card.version);
    return { ...toCardView(card), steps: definition.steps, settings: definition.settings };
  }

  async getVersion(workspace: string, workflowId: string, version: number): Promise<WorkflowVersionDto> {
    await this.card(workspace, workflowId);
    const found = await this.version(workspace, workflowId, version);
    return {
      id: workflowId,
      version: found.version,
      steps: found.steps,
      settings: found.settings,
      publishedAt: found.publishedAt,
    };
  }

  private async card(workspace: string, workflowId: string): Promise<WorkflowCard> {
    const card = await this.readModel.get<WorkflowCard>(WORKFLOW_CARDS_COLLECTION, workflowId);
    // Another workspace's workflow is indistinguishable from a missing one.
    if (!card || card.workspace !== workspace) throw new NotFoundException(`Workflow ${workflowId} not found`);
    return card;
  }

  private async version(workspace: string, workflowId: string, version: number): Promise<WorkflowVersionDocument> {
    const found = await this.readModel.get<WorkflowVersionDocument>(WORKFLOW_VERSIONS_COLLECTION, `${workflowId}:${version}`);
    if (!found || found.workspace !== workspace) {
      throw new NotFoundException(`Workflow ${workflowId} has no version ${version}`);
    }
    return found;
  }
}
