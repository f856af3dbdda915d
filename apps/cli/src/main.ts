import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError, StorageUnavailableError } from '#platform';
import { CliError, UsageError } from './cli-storage.js';
import { EXPORT_OPTIONS, exportCommand } from './export.command.js';
import { REPLAY_OPTIONS, replayCommand } from './replay.command.js';
import { TOKEN_OPTIONS, tokenCommand } from './token.command.js';
import { VERIFY_OPTIONS, verifyCommand } from './verify.command.js';

const USAGE = `Usage: npm run cli -- <command> [options]
Every command reads the server's configuration (DATA_DIR, EVENT_STORE, READ_MODEL, …).

Commands:
  token --role admin|auditor [--sub NAME] [--workspace NAME] [--ttl SECONDS]
      Prints a bearer token signed with the server's secret (AUTH_SECRET, or the one in DATA_DIR).
      Defaults: --sub <role>, --workspace default, --ttl 43200 (12 h, or AUTH_MAX_TOKEN_TTL when shorter).
  replay [--projection NAME]...
      Rebuilds read models (all, or the named ones) from the event log and swaps them in at once.
      Refused while a server is using the embedded stores.
  verify
      Recomputes every read model from the log and compares it with the stored one, and checks
      every stream's hash chain. Exit 0 when all agree, 1 listing what differs. Read-only.
  export --out FILE
      Writes the whole event log to FILE (outside DATA_DIR; - for stdout), one JSON event per line,
      replacing FILE only once complete. Read-only.
  help, --help, -h (also after a command)
      Prints this text.
`;

interface Command {
  run: (args: string[]) => Promise<void>;
  /** The options it parses: what follows one of them is its value, not a word of its own. */
  options: ParseArgsConfig['options'];
}

const COMMANDS: Record<string, Command> = {
  token: { run: tokenCommand, options: TOKEN_OPTIONS },
  replay: { run: replayCommand, options: REPLAY_OPTIONS },
  verify: { run: verifyCommand, options: VERIFY_OPTIONS },
  export: { run: exportCommand, options: EXPORT_OPTIONS },
};

/** Asking for the usage is no mistake: it goes to stdout and exits 0. */
const HELP = new Set(['help', '--help', '-h']);

/**
 * `verify help`, `verify --help` and `export -h` ask for the usage too, rather than run the
 * command; an option's value does not (`token --sub help` mints a token for "help").
 */
const asksForHelp = (args: string[], options: Command['options']): boolean =>
  parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }).tokens.some(
    (token) => (token.kind === 'positional' && token.value === 'help') || (token.kind === 'option' && HELP.has(token.rawName)),
  );

const isUsageError = (error: unknown): boolean =>
  error instanceof UsageError || Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

const main = async (): Promise<void> => {
  const [command, ...args] = process.argv.slice(2);
  // Own keys only: "constructor" or "toString" would otherwise run Object's own and exit 0.
  const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (command !== undefined && (HELP.has(command) || asksForHelp(args, known?.options ?? {}))) {
    process.stdout.write(USAGE);
    return;
  }
  if (!known) throw new UsageError(command === undefined ? 'No command given' : `Unknown command: ${command}`);
  await known.run(args);
};

main().catch((error: unknown) => {
  if (isUsageError(error)) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof ConfigError || error instanceof StorageUnavailableError) {
    process.stderr.write(`${error instanceof ConfigError ? 'Configuration error: ' : 'Cannot start: '}${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
