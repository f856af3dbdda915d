import { createWriteStream, existsSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type EventStore, storedEventsOf } from '#eventstore';
import { auditEventView, loadConfig } from '#platform';
import { CliError, UsageError, withStorage } from './cli-storage.js';
import { Progress, countedEvents } from './progress.js';

const BATCH_SIZE = 1000;

/** `--out -` writes to stdout. */
const STDOUT = '-';

/**
 * The whole log, every workspace, one event per line as the audit API shows it, written as it is
 * read: constant memory. A file is written beside its target and renamed over it once complete,
 * so a failed export leaves whatever was there before.
 */
export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UsageError('--out FILE is required (- for stdout)');
  const config = loadConfig();
  const file = values.out === STDOUT ? undefined : resolve(values.out);
  if (file !== undefined) refuseInsideDataDir(file, config.dataDir);
  const partial = file === undefined ? undefined : join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  const named = file ?? 'stdout';
  await withStorage(config, async (storage) => {
    try {
      // The log holds customers' messages: readable by its owner only; on disk before it is renamed.
      const out = partial === undefined ? process.stdout : createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
      // A backup holds the events as stored, not as upcast.
      const written = await writeLog(storedEventsOf(storage.eventStore), out, named);
      if (partial !== undefined) renameSync(partial, named);
      written.progress.finish(`${written.count.toLocaleString('en')} events written to ${named}`);
    } finally {
      if (partial !== undefined) rmSync(partial, { force: true });
    }
  });
}

/** DATA_DIR holds the stores and the secrets: an export there could replace one of them. */
function refuseInsideDataDir(file: string, dataDir: string): void {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const target = existsSync(file) ? real(file) : join(real(dirname(file)), basename(file));
  const inside = relative(real(dataDir), target);
  // Outside means the path climbs out first: a name inside such as `..old` starts with dots too.
  if (inside === '' || inside.split(sep)[0] !== '..') {
    throw new CliError(`export: --out must lie outside DATA_DIR (${dataDir}), which holds the stores and their secrets`, 2);
  }
}

async function writeLog(eventStore: EventStore, out: Writable, named: string): Promise<{ count: number; progress: Progress }> {
  const failed = once(out, 'error').then(([error]) => {
    throw new CliError(`export: cannot write ${named}: ${(error as Error).message}`, 1);
  });
  // Raced with every wait below; a write error at any other moment must not go unhandled.
  failed.catch(() => undefined);
  const progress = new Progress('export', countedEvents(await eventStore.headPosition()));
  let count = 0;
  const write = async (line: string) => {
    if (!out.write(line)) await Promise.race([once(out, 'drain'), failed]);
  };
  for (let after: string | undefined; ;) {
    const batch = await Promise.race([eventStore.readAll({ after, maxCount: BATCH_SIZE }), failed]);
    for (const event of batch) await write(`${JSON.stringify(auditEventView(event))}\n`);
    count += batch.length;
    progress.update(count);
    if (batch.length < BATCH_SIZE) break;
    after = batch.at(-1)?.position;
  }
  if (out === process.stdout) {
    // stdout stays open for whatever the process writes after.
    await Promise.race([new Promise<void>((done) => out.write('', () => done())), failed]);
  } else {
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  }
  return { count, progress };
}
