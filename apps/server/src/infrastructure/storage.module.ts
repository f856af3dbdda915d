import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Global, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore, SqliteEventStore } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelStore, SqliteReadModelStore } from '#readmodel';
import type { AppConfig } from '../config/app-config.js';

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.readModel.close();
  }
}

/** The event store and read-model store chosen by configuration, shared by every module. */
@Global()
export class StorageModule {
  static forConfig(config: Pick<AppConfig, 'dataDir'>): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore => {
            mkdirSync(config.dataDir, { recursive: true });
            return SqliteEventStore.open({ file: join(config.dataDir, 'events.sqlite') });
          },
        },
        {
          provide: READ_MODEL_STORE,
          useFactory: (): ReadModelStore => {
            mkdirSync(config.dataDir, { recursive: true });
            return SqliteReadModelStore.open({ file: join(config.dataDir, 'read-models.sqlite') });
          },
        },
        StorageLifecycle,
      ],
      exports: [EVENT_STORE, READ_MODEL_STORE],
    };
  }
}
