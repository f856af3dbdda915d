import { Module } from '@nestjs/common';
import { AssignChannelWorkflowHandler } from './assign-channel-workflow.handler.js';
import { CreateChannelHandler } from './create-channel.handler.js';
import { ReceiveChannelMessageHandler } from './receive-channel-message.handler.js';

/** Command handlers of channels; expects EVENT_STORE from the importing module. */
@Module({ providers: [CreateChannelHandler, AssignChannelWorkflowHandler, ReceiveChannelMessageHandler] })
export class ChannelsEngineModule {}
