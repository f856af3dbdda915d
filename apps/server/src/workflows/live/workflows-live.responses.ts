import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE_WORKFLOW_ID, WorkflowCardDto } from '../dto/workflow.responses.js';

/** The data of a `removed` event. */
export class RemovedWorkflowDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_WORKFLOW_ID, description: 'The workflow that was deleted' })
  id!: string;
}

/** `event: card`: a card as it now is (first every current one, then each change). */
export class WorkflowCardEventDto {
  @ApiProperty({ enum: ['card'], description: 'The event’s `event:` field' })
  event!: 'card';

  @ApiProperty({ type: WorkflowCardDto, description: 'The event’s `data:` field, as JSON' })
  data!: WorkflowCardDto;
}

/** `event: removed`: the workflow was deleted; its card goes. */
export class WorkflowRemovedEventDto {
  @ApiProperty({ enum: ['removed'], description: 'The event’s `event:` field' })
  event!: 'removed';

  @ApiProperty({ type: RemovedWorkflowDto, description: 'The event’s `data:` field, as JSON' })
  data!: RemovedWorkflowDto;
}

/** One event of `GET /workflows/live`. */
export type LiveCardEvent = WorkflowCardEventDto | WorkflowRemovedEventDto;
