import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from '../storage/data-dir.permissions.js';

/**
 * Embedded mode needs no set-up: a secret that is not configured is generated once into a file
 * of DATA_DIR (readable by the owner only) and reused on every start.
 */
export const resolveGeneratedSecret = (
  configured: string | undefined,
  dataDir: string,
  fileName: string,
): { secret: string; generated: boolean } => {
  if (configured) return { secret: configured, generated: false };
  const file = join(dataDir, fileName);
  ensureDataDir(dataDir);
  const existing = readIfPresent(file);
  if (existing !== undefined) return { secret: existing, generated: false };
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx' refuses to overwrite a secret another process wrote in the meantime.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  }
};

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
