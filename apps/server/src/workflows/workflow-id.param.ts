import { ApiParam } from '@nestjs/swagger';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { EXAMPLE_WORKFLOW_ID } from './dto/workflow.responses.js';

/** The `:id` of a workflow route: a UUID; anything else names no workflow (404). */
export const WORKFLOW_ID = new ResourceIdPipe('Workflow');

/** Documents the `:id` path parameter that `WORKFLOW_ID` reads. */
export const ApiWorkflowIdParam = () =>
  ApiParam({
    name: 'id',
    format: 'uuid',
    example: EXAMPLE_WORKFLOW_ID,
    description: 'A workflow of the caller’s workspace that is not deleted',
  });
