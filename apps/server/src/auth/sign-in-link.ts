import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogFormat } from '#platform';

export const SIGN_IN_LINK_FILE = 'sign-in-link';

export interface SignInLink {
  /** The server's address as the operator reaches it, e.g. http://localhost:3000 */
  baseUrl: string;
  token: string;
  /** How long the token lives, in words: "12 h". */
  validFor: string;
}

interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Replaces `file` at once with a file only its owner can read: a reader sees the old link or the new, never half of one. */
const writeOwnerOnly = (file: string, text: string): void => {
  const staging = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(staging, text, { mode: 0o600, flag: 'wx' });
    renameSync(staging, file);
  } finally {
    rmSync(staging, { force: true });
  }
};

/**
 * The embedded start hands the operator an admin sign-in link. Its token is a credential, so it
 * is never a log line: a person at a terminal gets it as plain text; output that may be collected
 * (a pipe, a file, a container's log, or LOG_FORMAT=json) gets one log line naming
 * DATA_DIR/sign-in-link, which holds the link, readable by its owner only and replaced at each start
 * (removed at a start on a terminal: the link of an earlier start must not outlive it there).
 */
export const handOverSignInLink = (
  { baseUrl, token, validFor }: SignInLink,
  place: { dataDir: string; terminal: Terminal; logFormat?: LogFormat },
  logger: { log(message: string): void; warn(message: string): void },
): void => {
  const link = `${baseUrl}/?token=${token}`;
  const moreTokens = 'more tokens with "npm run cli -- token"';
  const file = join(place.dataDir, SIGN_IN_LINK_FILE);
  if (place.terminal.isTTY === true && place.logFormat !== 'json') {
    rmSync(file, { force: true });
    place.terminal.write(
      `\nOpen the console (admin sign-in, valid ${validFor}; ${moreTokens}):\n${link}\n` +
        `Or the API: curl -H "Authorization: Bearer ${token}" ${baseUrl}/workflows\n\n`,
    );
    return;
  }
  try {
    writeOwnerOnly(file, `${link}\n`);
  } catch (error) {
    logger.warn(`Could not write the admin sign-in link to ${file} (${(error as Error).message}); ${moreTokens}`);
    return;
  }
  logger.log(`The admin sign-in link (valid ${validFor}) is in ${file}, readable by this user only; ${moreTokens}`);
};

/**
 * A start with AUTH_SECRET hands over no link: one an earlier start wrote, signed with another
 * secret or still valid, must not be left for the operator to try.
 */
export const removeSignInLink = (dataDir: string): void => rmSync(join(dataDir, SIGN_IN_LINK_FILE), { force: true });
