import { Module } from '@nestjs/common';
import { AssignChannelWorkflowHandler } from './assign-channel-workflow.handler.js';
import { CreateChannelHandler } from './create-channel.handler.js';
import { EndConversationSessionHandler } from './end-conversation-session.handler.js';
import { ReceiveChannelMessageHandler } from './receive-channel-message.handler.js';
import { RecordChannelWebhookHandler } from './record-channel-webhook.handler.js';
import { RenameChannelHandler } from './rename-channel.handler.js';

/** Command handlers of channels; expects EVENT_STORE and CHANNEL_SECRETS from the importing module. */
@Module({
  providers: [
    CreateChannelHandler,
    AssignChannelWorkflowHandler,
    ReceiveChannelMessageHandler,
    RecordChannelWebhookHandler,
    EndConversationSessionHandler,
    RenameChannelHandler,
  ],
})
export class ChannelCommandsModule {}
