import { createHmac, timingSafeEqual } from 'node:crypto';

export type Role = 'admin' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'auditor'];

/** The caller as the token describes it. */
export interface Principal {
  sub: string;
  role: Role;
  workspace: string;
}

export const DEFAULT_WORKSPACE = 'default';

export class InvalidTokenError extends Error {}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

const signature = (signingInput: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(signingInput).digest();

export const signJwt = (
  claims: { sub: string; role: Role; workspace?: string },
  secret: string,
  ttlSeconds: number,
  now: Date = new Date(),
): string => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const payload = base64url(JSON.stringify({ ...claims, iat: issuedAt, exp: issuedAt + ttlSeconds }));
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${base64url(signature(signingInput, secret))}`;
};

const parseJson = (segment: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidTokenError('malformed token');
};

const numericClaim = (claims: Record<string, unknown>, name: string, required: boolean): number | undefined => {
  const value = claims[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidTokenError(`claim ${name} must be a number of seconds${required ? ' and is required' : ''}`);
  }
  return value;
};

/**
 * Verifies an HS256 token and returns its principal. Only HS256 is accepted, whatever the header
 * claims, and every token must expire: a credential without `exp` would be valid forever.
 */
export const verifyJwt = (token: string, secret: string, now: Date = new Date()): Principal => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed token');
  const [header, payload, signed] = parts;
  if (parseJson(header).alg !== 'HS256') throw new InvalidTokenError('unsupported algorithm');
  // Compared as text: decoding first would ignore characters that are not base64url.
  const expected = Buffer.from(base64url(signature(`${header}.${payload}`, secret)));
  const actual = Buffer.from(signed);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new InvalidTokenError('bad signature');
  }
  const claims = parseJson(payload);
  const nowSeconds = now.getTime() / 1000;
  if (numericClaim(claims, 'exp', true)! <= nowSeconds) throw new InvalidTokenError('token expired');
  const notBefore = numericClaim(claims, 'nbf', false);
  if (notBefore !== undefined && notBefore > nowSeconds) throw new InvalidTokenError('token not yet valid');
  numericClaim(claims, 'iat', false);
  const { sub, role, workspace = DEFAULT_WORKSPACE } = claims;
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('claim sub missing');
  if (!ROLES.includes(role as Role)) throw new InvalidTokenError('claim role must be admin or auditor');
  if (typeof workspace !== 'string' || workspace === '') throw new InvalidTokenError('claim workspace must be a non-empty string');
  return { sub, role: role as Role, workspace };
};
