import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates DATA_DIR when it is missing, open to its owner only: it holds the secrets and the
 * customers' conversations. Missing parents are made as `mkdir -p` makes them, with the usual
 * mode. A directory that exists keeps its mode: the operator chose it.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dirname(dataDir), { recursive: true });
  try {
    mkdirSync(dataDir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dataDir).isDirectory()) throw error;
  }
}
