import { parseArgs } from 'node:util';
import { assertTokenLifetime, InvalidTokenError, loadConfig, resolveAuthSecret, type Role, ROLES, signJwt } from '#platform';
import { CliError } from './cli-storage.js';

/** Prints a bearer token signed with the server's secret. */
export async function tokenCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      workspace: { type: 'string' },
      ttl: { type: 'string', default: '43200' },
    },
  });
  if (!ROLES.includes(values.role as Role)) throw new CliError('--role must be admin or auditor', 2);
  const role = values.role as Role;
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new CliError('--ttl must be a positive whole number of seconds', 2);
  if (values.workspace !== undefined && values.workspace.trim() === '') throw new CliError('--workspace must not be empty', 2);
  const config = loadConfig();
  // A token the server would refuse is not minted at all.
  try {
    assertTokenLifetime(ttl, config.authMaxTokenTtlSeconds ?? ttl);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new CliError(`--ttl: ${error.message} (AUTH_MAX_TOKEN_TTL)`, 2);
    throw error;
  }
  const { secret } = resolveAuthSecret(config.authSecret, config.dataDir);
  const claims = { sub: values.sub ?? role, role, ...(values.workspace ? { workspace: values.workspace } : {}) };
  process.stdout.write(`${await signJwt(claims, secret, ttl)}\n`);
}
