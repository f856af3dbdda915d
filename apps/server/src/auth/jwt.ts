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

/** Verifies an HS256 token and returns its principal; only HS256 is accepted, whatever the header claims. */
export const verifyJwt = (token: string, secret: string, now: Date = new Date()): Principal => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed token');
  const [header, payload, signed] = parts;
  if (parseJson(header).alg !== 'HS256') throw new InvalidTokenError('unsupported algorithm');
  const expected = signature(`${header}.${payload}`, secret);
  const actual = Buffer.from(signed, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new InvalidTokenError('bad signature');
  }
  const claims = parseJson(payload);
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now.getTime()) throw new InvalidTokenError('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > now.getTime()) throw new InvalidTokenError('token not yet valid');
  const { sub, role, workspace = DEFAULT_WORKSPACE } = claims;
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('claim sub missing');
  if (!ROLES.includes(role as Role)) throw new InvalidTokenError('claim role must be admin or auditor');
  if (typeof workspace !== 'string' || workspace === '') throw new InvalidTokenError('claim workspace must be a non-empty string');
  return { sub, role: role as Role, workspace };
};
