/** The console's sign-in: a bearer token kept for this tab only (sessionStorage), never in a URL. */
export type Role = 'admin' | 'auditor';

export interface SignedIn {
  token: string;
  sub: string;
  role: Role;
  workspace: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const STORAGE_KEY = 'workflows.token';

const base64UrlJson = (part: string): unknown => {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
};

/**
 * Reads what the page needs from a token (role, workspace, expiry) or says in words why it cannot
 * be used. The server checks the signature on every request; this only keeps the page honest.
 */
export const readToken = (token: string): SignedIn | { problem: string } => {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { problem: 'That is not a sign-in token: a token has three parts separated by dots.' };
  let claims: Record<string, unknown>;
  try {
    claims = base64UrlJson(parts[1]) as Record<string, unknown>;
  } catch {
    return { problem: 'That is not a sign-in token: its claims cannot be read.' };
  }
  const { sub, role, workspace, exp } = claims;
  if (role !== 'admin' && role !== 'auditor') return { problem: 'This token has no admin or auditor role.' };
  if (typeof exp !== 'number') return { problem: 'This token never expires, so the server refuses it.' };
  if (exp * 1000 <= Date.now()) return { problem: 'This token has expired. Get a new one and sign in again.' };
  return {
    token: token.trim(),
    sub: typeof sub === 'string' ? sub : 'unknown',
    role,
    workspace: typeof workspace === 'string' ? workspace : 'default',
    expiresAt: exp,
  };
};

export const storedToken = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(STORAGE_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(STORAGE_KEY);

/**
 * A sign-in link (`/?token=…`) hands its token over once: it is stored for the tab and taken out
 * of the address bar at once, so it stays out of history, bookmarks and shared screenshots.
 */
export const takeTokenFromAddress = (): string | null => {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return token;
};
