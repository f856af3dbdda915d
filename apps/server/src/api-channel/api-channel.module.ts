import { Module } from '@nestjs/common';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ApiChannelController } from './api-channel.controller.js';
import {
  AcknowledgeApiChannelMessagesHandler,
  ReceiveApiChannelMessageHandler,
  RecordApiChannelReceiptHandler,
} from './api-channel.handlers.js';
import { ApiChannelSecretGuard } from './api-channel-secret.guard.js';

/** The API channel's endpoints and commands; part of the `api` role. Expects the storage and channel secrets from the app. */
@Module({
  controllers: [ApiChannelController],
  providers: [
    ConsistencyService,
    ApiChannelSecretGuard,
    ReceiveApiChannelMessageHandler,
    RecordApiChannelReceiptHandler,
    AcknowledgeApiChannelMessagesHandler,
  ],
})
export class ApiChannelModule {}
