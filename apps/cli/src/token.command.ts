import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  assertSharedSecretsConfigured,
  assertTokenLifetime,
  defaultTokenTtlSeconds,
  InvalidTokenError,
  loadConfig,
  principalClaimProblem,
  resolveAuthSecret,
  type Role,
  ROLES,
  signJwt,
} from '#platform';
import { CliError, UsageError } from './cli-storage.js';

export const TOKEN_OPTIONS = {
  role: { type: 'string' },
  sub: { type: 'string' },
  workspace: { type: 'string' },
  ttl: { type: 'string' },
} satisfies ParseArgsConfig['options'];

/** Prints a bearer token signed with the server's secret. */
export async function tokenCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: TOKEN_OPTIONS });
  if (!ROLES.includes(values.role as Role)) throw new UsageError('--role must be admin or auditor');
  const role = values.role as Role;
  const askedTtl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (askedTtl !== undefined && (!Number.isInteger(askedTtl) || askedTtl <= 0)) {
    throw new UsageError('--ttl must be a positive whole number of seconds');
  }
  const sub = values.sub ?? role;
  // A token the server would refuse is not minted at all.
  for (const [claim, value] of [['sub', sub] as const, ['workspace', values.workspace] as const]) {
    const problem = value === undefined ? undefined : principalClaimProblem(claim, value);
    if (problem) throw new UsageError(`--${claim} ${problem}`);
  }
  const config = loadConfig();
  // A secret generated here would sign tokens that no server of such a deployment accepts.
  assertSharedSecretsConfigured(config, ['AUTH_SECRET']);
  const ttl = askedTtl ?? defaultTokenTtlSeconds(config.authMaxTokenTtlSeconds);
  try {
    assertTokenLifetime(ttl, config.authMaxTokenTtlSeconds ?? ttl);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new CliError(`--ttl: ${error.message} (AUTH_MAX_TOKEN_TTL)`, 2);
    throw error;
  }
  const { secret, generated } = resolveAuthSecret(config.authSecret, config.dataDir);
  if (generated) {
    // Most often a DATA_DIR other than the server's: say so, or its 401 would be a puzzle.
    process.stderr.write(
      `No signing secret was in ${config.dataDir}: generated one into ${config.dataDir}/auth-secret. ` +
        'Only a server with this DATA_DIR (and no AUTH_SECRET) accepts the token; run the command with the server’s DATA_DIR.\n',
    );
  }
  const claims = { sub, role, ...(values.workspace ? { workspace: values.workspace } : {}) };
  process.stdout.write(`${await signJwt(claims, secret, ttl)}\n`);
}
