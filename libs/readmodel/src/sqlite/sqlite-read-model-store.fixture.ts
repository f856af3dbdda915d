import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadModelIndex } from '../read-model-store.port.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

/** A store on a fresh file in its own temporary directory, with `indexes` declared; removed again by `dispose`. */
export async function openTemporarySqliteReadModelStore(indexes: readonly ReadModelIndex[] = []): Promise<{
  store: SqliteReadModelStore;
  file: string;
  dispose: () => Promise<void>;
}> {
  const directory = await mkdtemp(join(tmpdir(), 'readmodel-'));
  const file = join(directory, 'read-models.sqlite');
  const store = SqliteReadModelStore.open({ file });
  await store.declareIndexes(indexes);
  return {
    store,
    file,
    dispose: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
