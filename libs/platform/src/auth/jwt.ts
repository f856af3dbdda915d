import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { BoundedMap } from '#bounded-map';

export type Role = 'admin' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'auditor'];

/** The caller as the token describes it. */
export interface Principal {
  sub: string;
  role: Role;
  workspace: string;
}

export const DEFAULT_WORKSPACE = 'default';

/** The longest a token may live (AUTH_MAX_TOKEN_TTL): a leaked token is good for this long at most. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/** Clocks of the issuer and the server may differ by this much, in seconds, either way. */
export const CLOCK_TOLERANCE_SECONDS = 30;

const ALGORITHM = 'HS256';

export class InvalidTokenError extends Error {}

/**
 * What a token may name. Both end up in every event's metadata, in the console and in logs, so
 * they are kept to characters that need no escaping anywhere: a workspace is a short slug; a
 * subject may also be an e-mail address or an identity provider's id (`auth0|…`, `user:42`).
 */
const PRINCIPAL_CLAIM_RULES = {
  sub: { pattern: /^[A-Za-z0-9._@:+|-]{1,128}$/, rule: 'must be 1 to 128 characters of letters, digits and . _ @ : + | -' },
  workspace: { pattern: /^[A-Za-z0-9._-]{1,64}$/, rule: 'must be 1 to 64 characters of letters, digits and . _ -' },
} as const;

/**
 * Why a `sub` or `workspace` value is refused, or undefined when it is fine. The answer never
 * repeats the value: it may be huge, hold control characters, or be an attacker's text.
 */
export const principalClaimProblem = (claim: keyof typeof PRINCIPAL_CLAIM_RULES, value: unknown): string | undefined => {
  const { pattern, rule } = PRINCIPAL_CLAIM_RULES[claim];
  return typeof value === 'string' && pattern.test(value) ? undefined : rule;
};

/** Importing the secret as a WebCrypto key costs as much as verifying with it: once per secret. */
const hmacKeys = new BoundedMap<Promise<webcrypto.CryptoKey>>(16);

const keyOf = (secret: string): Promise<webcrypto.CryptoKey> => {
  let key = hmacKeys.get(secret);
  if (key === undefined) {
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
};

/**
 * A token that passed every check, and from when: an admin console or an API client sends the
 * same token with every request, and verifying its signature (about 0.1 ms, WebCrypto) was a
 * fifth of the CPU of creating a workflow. Of the checks only expiry can turn with time: `nbf`,
 * a future `iat` and the lifetime pass at any later moment once they passed. Only tokens that
 * passed are kept, keyed by secret and lifetime limit too, and a token asked about at a moment
 * before its check (tests pass `now`) is checked again in full.
 */
interface VerifiedToken {
  principal: Principal;
  expiresAt: number;
  checkedAtMs: number;
}
const verifiedTokens = new BoundedMap<VerifiedToken>(10_000);

const acceptedOf = ({ principal, expiresAt }: VerifiedToken) => ({
  principal,
  acceptedUntilMs: (expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000,
});

/** A working day: the lifetime of the tokens minted without one asked for (the sign-in link, `cli token`). */
const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** The default lifetime, shortened to `maxTtlSeconds` (AUTH_MAX_TOKEN_TTL) when that is less, so the token is accepted. */
export const defaultTokenTtlSeconds = (maxTtlSeconds: number | undefined): number =>
  Math.min(DEFAULT_TOKEN_TTL_SECONDS, maxTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);

/** A token meant to live longer than `maxTtlSeconds` is refused: by the server, and before it is minted. */
export const assertTokenLifetime = (ttlSeconds: number, maxTtlSeconds: number): void => {
  if (ttlSeconds > maxTtlSeconds) {
    throw new InvalidTokenError(`token lifetime of ${ttlSeconds} s exceeds the maximum of ${maxTtlSeconds} s`);
  }
};

export const signJwt = async (
  claims: { sub: string; role: Role; workspace?: string },
  secret: string,
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<string> => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(await keyOf(secret));
};

/** jose's refusals in the words the API has always used. */
const reasonOf = (error: unknown): string | undefined => {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'unsupported algorithm';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return 'token not yet valid';
    return `claim ${error.claim} must be a number of seconds${error.claim === 'exp' ? ' and is required' : ''}`;
  }
  if (error instanceof errors.JOSEError) return 'malformed token';
  return undefined;
};

const numericClaim = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidTokenError(`claim ${name} must be a number of seconds`);
  return value;
};

/**
 * Verifies an HS256 token and returns its principal. Only HS256 is accepted, whatever the header
 * claims; every token must expire (a credential without `exp` would be valid forever), and live
 * no longer than `maxTtlSeconds` from when it was issued (or from now, without `iat`).
 */
export const verifyJwt = async (token: string, secret: string, options: { now?: Date; maxTtlSeconds?: number } = {}): Promise<Principal> =>
  (await verifyJwtUntil(token, secret, options)).principal;

/**
 * verifyJwt, and until when the token is accepted (epoch milliseconds: its `exp` and the clock
 * tolerance), for an answer that outlasts the request: a stream must end when its token does.
 */
export const verifyJwtUntil = async (
  token: string,
  secret: string,
  { now = new Date(), maxTtlSeconds = DEFAULT_MAX_TOKEN_TTL_SECONDS }: { now?: Date; maxTtlSeconds?: number } = {},
): Promise<{ principal: Principal; acceptedUntilMs: number }> => {
  const memoKey = `${maxTtlSeconds}\u0000${secret}\u0000${token}`;
  const verified = verifiedTokens.get(memoKey);
  if (verified !== undefined && now.getTime() >= verified.checkedAtMs) {
    // jose's own rule: expired once `exp` is at or before now (whole seconds) less the tolerance.
    if (verified.expiresAt > Math.floor(now.getTime() / 1000) - CLOCK_TOLERANCE_SECONDS) return acceptedOf(verified);
    verifiedTokens.delete(memoKey);
    throw new InvalidTokenError('token expired');
  }
  const { principal, expiresAt } = await verifyJwtClaims(token, secret, now, maxTtlSeconds);
  const checked = { principal, expiresAt, checkedAtMs: now.getTime() };
  verifiedTokens.set(memoKey, checked);
  return acceptedOf(checked);
};

const verifyJwtClaims = async (
  token: string,
  secret: string,
  now: Date,
  maxTtlSeconds: number,
): Promise<{ principal: Principal; expiresAt: number }> => {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, await keyOf(secret), {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    const reason = reasonOf(error);
    if (reason === undefined) throw error;
    throw new InvalidTokenError(reason);
  }
  const nowSeconds = now.getTime() / 1000;
  const expiresAt = numericClaim(claims.exp, 'exp')!;
  const issuedAt = numericClaim(claims.iat, 'iat') ?? nowSeconds;
  // jose checks `iat` only against a maximum age; a future one would stretch the lifetime's start.
  if (issuedAt > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError('token issued in the future');
  assertTokenLifetime(Math.ceil(expiresAt - issuedAt), maxTtlSeconds);
  const { sub, role, workspace = DEFAULT_WORKSPACE } = claims;
  if (sub === undefined) throw new InvalidTokenError('claim sub missing');
  for (const [claim, value] of [['sub', sub] as const, ['workspace', workspace] as const]) {
    const problem = principalClaimProblem(claim, value);
    if (problem) throw new InvalidTokenError(`claim ${claim} ${problem}`);
  }
  if (!ROLES.includes(role as Role)) throw new InvalidTokenError('claim role must be admin or auditor');
  // Frozen: the same principal answers every later request with this token.
  return { principal: Object.freeze({ sub: sub as string, role: role as Role, workspace: workspace as string }), expiresAt };
};
