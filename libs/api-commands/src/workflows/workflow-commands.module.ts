import { Module } from '@nestjs/common';
import { CopyWorkflowHandler } from './copy-workflow.handler.js';
import { CreateWorkflowHandler } from './create-workflow.handler.js';
import { DeactivateWorkflowSessionsHandler } from './deactivate-workflow-sessions.handler.js';
import { DeleteWorkflowHandler } from './delete-workflow.handler.js';
import { PublishWorkflowDefinitionHandler } from './publish-workflow-definition.handler.js';
import { RenameWorkflowHandler } from './rename-workflow.handler.js';

/** Command handlers of the workflow lifecycle; expects EVENT_STORE from the importing module. */
@Module({
  providers: [
    CreateWorkflowHandler,
    RenameWorkflowHandler,
    PublishWorkflowDefinitionHandler,
    CopyWorkflowHandler,
    DeleteWorkflowHandler,
    DeactivateWorkflowSessionsHandler,
  ],
})
export class WorkflowCommandsModule {}
