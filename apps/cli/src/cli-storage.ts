import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteReadModelStore } from '#readmodel';
import {
  ALL_INDEXES,
  type AppConfig,
  closeStorage,
  EMBEDDED_LOG_FILE,
  ensureDataDir,
  isProcessAlive,
  openStorage,
  processStartOf,
  runningServers,
  type Storage,
} from '#platform';

/** A command's failure to report as it is, with the exit code it ends with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit code of a command given wrongly, or refused before it starts for what it was given. */
export const USAGE_EXIT_CODE = 2;

/** A command or option given wrongly: exit 2, with the usage after the reason. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, USAGE_EXIT_CODE);
  }
}

/** Exit code of a command refused because a running server holds the embedded stores. */
export const REFUSED_BESIDE_SERVER = 3;

/**
 * A command that writes must not race a server writing the same embedded files; commands that
 * only read may run beside it.
 */
export function refuseBesideRunningServer(config: AppConfig, command: string): void {
  if (config.eventStore.kind !== 'sqlite' && config.readModel.kind !== 'sqlite') return;
  const pids = runningServers(config.dataDir);
  if (pids.length === 0) return;
  throw new CliError(
    `${command}: a running server (pid ${pids.join(', ')}) is using the embedded stores in ${config.dataDir}; ` +
      'stop it first (verify and export only read, and may run beside it)',
    REFUSED_BESIDE_SERVER,
  );
}

/**
 * Runs `work` with the configured stores open, closing them whatever happens. An embedded log
 * must be there already: a mistyped DATA_DIR would otherwise get new empty stores, and a
 * verification or export of nothing would pass.
 */
export async function withStorage<T>(config: AppConfig, work: (storage: Storage) => Promise<T>): Promise<T> {
  const log = join(config.dataDir, EMBEDDED_LOG_FILE);
  if (config.eventStore.kind === 'sqlite' && !existsSync(log)) {
    throw new CliError(`No event log at ${log}: is DATA_DIR right? A server creates it on its first start.`, 2);
  }
  const storage = await openStorage(config);
  try {
    return await work(storage);
  } finally {
    await closeStorage(storage);
  }
}

/** A scratch store's file names its owner: `rebuild-<pid>-<start>-<uuid>.sqlite`, plus SQLite's WAL files. */
const SCRATCH_FILE = /^rebuild-(\d+)-(\d+|x)-[0-9a-f-]{36}\.sqlite(?:-wal|-shm)?$/;

/**
 * A throwaway embedded read-model store in DATA_DIR, removed with its WAL files afterwards. It
 * has the indexes of the store it stands in for, so it answers the same queries. The scratch
 * files of a command that was killed (they hold copies of transcripts) are removed first.
 */
export async function withScratchReadModel<T>(config: AppConfig, work: (store: SqliteReadModelStore) => Promise<T>): Promise<T> {
  ensureDataDir(config.dataDir);
  removeScratchOfEndedCommands(config.dataDir);
  const file = join(config.dataDir, `rebuild-${process.pid}-${processStartOf(process.pid) ?? 'x'}-${randomUUID()}.sqlite`);
  const store = SqliteReadModelStore.open({ file });
  try {
    await store.declareIndexes(ALL_INDEXES);
    return await work(store);
  } finally {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

function removeScratchOfEndedCommands(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const owner = SCRATCH_FILE.exec(name);
    if (owner === null) continue;
    const [, pid, start] = owner;
    if (!isProcessAlive(Number(pid), start === 'x' ? undefined : start)) rmSync(join(dataDir, name), { force: true });
  }
}
