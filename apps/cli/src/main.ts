import { parseArgs } from 'node:util';
import { ROLES, type Role, signJwt } from '../../server/src/auth/jwt.js';
import { ConfigError, loadConfig } from '../../server/src/config/app-config.js';
import { resolveAuthSecret } from '../../server/src/config/auth-secret.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  token --role admin|auditor [--sub NAME] [--workspace NAME] [--ttl SECONDS]
      Prints a bearer token signed with the server's secret (AUTH_SECRET, or the one in DATA_DIR).
      Defaults: --sub <role>, --workspace default, --ttl 43200 (12 h).
`;

class UsageError extends Error {}

const tokenCommand = (args: string[]): void => {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      workspace: { type: 'string' },
      ttl: { type: 'string', default: '43200' },
    },
  });
  if (!ROLES.includes(values.role as Role)) throw new UsageError('--role must be admin or auditor');
  const role = values.role as Role;
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive whole number of seconds');
  if (values.workspace !== undefined && values.workspace.trim() === '') throw new UsageError('--workspace must not be empty');
  const config = loadConfig();
  const { secret } = resolveAuthSecret(config.authSecret, config.dataDir);
  const claims = { sub: values.sub ?? role, role, ...(values.workspace ? { workspace: values.workspace } : {}) };
  process.stdout.write(`${signJwt(claims, secret, ttl)}\n`);
};

const COMMANDS: Record<string, (args: string[]) => void> = { token: tokenCommand };

const [command, ...args] = process.argv.slice(2);
try {
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) throw new UsageError(command === undefined ? 'No command given' : `Unknown command: ${command}`);
  run(args);
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw error;
}
