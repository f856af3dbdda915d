import { Module } from '@nestjs/common';
import { AssignChannelWorkflowHandler } from './assign-channel-workflow.handler.js';
import { CreateChannelHandler } from './create-channel.handler.js';

/** Command handlers of channels; expects EVENT_STORE from the importing module. */
@Module({ providers: [CreateChannelHandler, AssignChannelWorkflowHandler] })
export class ChannelsEngineModule {}
