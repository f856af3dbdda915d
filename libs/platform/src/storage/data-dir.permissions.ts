import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/config-error.js';

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Creates DATA_DIR when it is missing, open to its owner only: it holds the secrets and the
 * customers' conversations. Missing parents are made as `mkdir -p` makes them, with the usual
 * mode. A directory that exists keeps its mode: the operator chose it. One that cannot be made (a
 * file in the way, no permission) is a configuration error naming DATA_DIR.
 */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dirname(dataDir), { recursive: true });
    mkdirSync(dataDir, { mode: 0o700 });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' && isDirectory(dataDir)) return;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way of that folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'no permission to create it'
          : (error as Error).message;
    throw new ConfigError(`DATA_DIR ${dataDir} cannot be used as the data folder: ${reason}`);
  }
}
