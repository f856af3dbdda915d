import { type DynamicModule, Global, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE } from '#eventstore';
import { READ_MODEL_STORE } from '#readmodel';
import { closeStorage, type Storage } from '#platform';

const STORAGE = Symbol('STORAGE');

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  onApplicationShutdown(): Promise<void> {
    return closeStorage(this.storage);
  }
}

/** The opened event store and read-model store, shared by every module and closed last. */
@Global()
export class StorageModule {
  static forStorage(storage: Storage): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: STORAGE, useValue: storage },
        { provide: EVENT_STORE, useValue: storage.eventStore },
        { provide: READ_MODEL_STORE, useValue: storage.readModel },
        StorageLifecycle,
      ],
      exports: [EVENT_STORE, READ_MODEL_STORE],
    };
  }
}
