import { accessSync, constants, createWriteStream, existsSync, realpathSync, renameSync, rmSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type EventStore, storedEventsOf } from '#eventstore';
import { auditEventView, loadConfig } from '#platform';
import { CliError, USAGE_EXIT_CODE, UsageError, withStorage } from './cli-storage.js';
import { Progress, countedEvents } from './progress.js';

const BATCH_SIZE = 1000;

/** `--out -` writes to stdout. */
const STDOUT = '-';

export const EXPORT_OPTIONS = { out: { type: 'string' } } satisfies ParseArgsConfig['options'];

/**
 * The whole log, every workspace, one event per line as the audit API shows it, written as it is
 * read: constant memory. A file is written beside its target and renamed over it once complete,
 * so a failed export leaves whatever was there before.
 */
export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: EXPORT_OPTIONS });
  if (!values.out) throw new UsageError('--out FILE is required (- for stdout)');
  const config = loadConfig();
  const given = values.out;
  const file = given === STDOUT ? undefined : resolve(given);
  if (file !== undefined) {
    refuseInsideDataDir(file, config.dataDir);
    refuseUnwritable(given, file);
  }
  const partial = file === undefined ? undefined : join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  await withStorage(config, async (storage) => {
    try {
      // The log holds customers' messages: readable by its owner only; on disk before it is renamed.
      const out = partial === undefined ? process.stdout : createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
      // A backup holds the events as stored, not as upcast.
      const written = await writeLog(storedEventsOf(storage.eventStore), out, file === undefined ? 'stdout' : given);
      if (partial !== undefined && file !== undefined) {
        try {
          renameSync(partial, file);
        } catch (error) {
          throw writeFailure(given, error);
        }
      }
      written.progress.finish(`${written.count.toLocaleString('en')} events written to ${file ?? 'stdout'}`);
    } finally {
      if (partial !== undefined) rmSync(partial, { force: true });
    }
  });
}

/**
 * A target that cannot be written would otherwise fail only once the whole log is read, naming
 * the hidden file written beside it: refused before any event is read, naming what was given.
 */
function refuseUnwritable(given: string, file: string): void {
  const refuse = (why: string): never => {
    throw new CliError(`export: ${why}`, USAGE_EXIT_CODE);
  };
  const folder = dirname(given);
  try {
    if (statOf(file)?.isDirectory()) refuse(`--out ${given} is a directory; name a file`);
    const found = statOf(dirname(file));
    if (found === undefined) refuse(`cannot write ${given}: the folder ${folder} does not exist`);
    if (!found?.isDirectory()) refuse(`cannot write ${given}: ${folder} is not a folder`);
  } catch (error) {
    // Neither there nor missing (a folder it may not look into, say): what the system says.
    throw error instanceof CliError ? error : writeFailure(given, error, USAGE_EXIT_CODE);
  }
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    refuse(`cannot write ${given}: the folder ${folder} is not writable`);
  }
}

/** What is at `path`, if anything: a path through a file (`/etc/passwd/x`) leads nowhere too. */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** `export: cannot write <path>: <reason>`, without the hidden file's name a system error carries. */
function writeFailure(named: string, error: unknown, exitCode = 1): CliError {
  const { message, code } = error as NodeJS.ErrnoException;
  const reason = code === undefined ? message : `${message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+ '.*$/s, '')} (${code})`;
  return new CliError(`export: cannot write ${named}: ${reason}`, exitCode);
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
    throw new CliError(`export: --out must lie outside DATA_DIR (${dataDir}), which holds the stores and their secrets`, USAGE_EXIT_CODE);
  }
}

/** Writes the log to `out`; a failure to write it ends as `export: cannot write <named>: …`. */
export async function writeLog(eventStore: EventStore, out: Writable, named: string): Promise<{ count: number; progress: Progress }> {
  // Listened to from the start, and raced with every wait below: plain listeners, as `once` of
  // another event would reject with the bare error itself.
  const failed = new Promise<never>((_, reject) => out.on('error', (error) => reject(writeFailure(named, error))));
  // A write error at any other moment must not go unhandled.
  failed.catch(() => undefined);
  const event = (name: string) => new Promise<void>((done) => out.once(name, () => done()));
  const progress = new Progress('export', countedEvents(await eventStore.headPosition()));
  let count = 0;
  const write = async (line: string) => {
    if (!out.write(line)) await Promise.race([event('drain'), failed]);
  };
  for (let after: string | undefined; ;) {
    const batch = await Promise.race([eventStore.readAll({ after, maxCount: BATCH_SIZE }), failed]);
    for (const stored of batch) await write(`${JSON.stringify(auditEventView(stored))}\n`);
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
    // A stream that fails emits its error before it closes: `failed` settles first.
    await Promise.race([event('close'), failed]);
  }
  return { count, progress };
}
