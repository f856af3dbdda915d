import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/api-client.js';
import { forgetToken, readToken, type SignedIn, storedToken, storeToken, takeTokenFromAddress } from './session-token.js';

interface AuthValue {
  signedIn: SignedIn | null;
  /** Why the user is at the sign-in page again (an expired or refused token), if they are. */
  reason: string | null;
  api: ApiClient;
  signIn: (token: string) => string | null;
  signOut: (reason?: string) => void;
  /** Admins change things; auditors only read. */
  canChange: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

const initialSignIn = (): { signedIn: SignedIn | null; reason: string | null } => {
  const token = takeTokenFromAddress() ?? storedToken();
  if (token === null) return { signedIn: null, reason: null };
  const read = readToken(token);
  if ('problem' in read) {
    forgetToken();
    return { signedIn: null, reason: read.problem };
  }
  storeToken(read.token);
  return { signedIn: read, reason: null };
};

/** Why the user is back at sign-in: a token that ran out while in use is no refusal of theirs. */
const refusalReason = (message: string): string =>
  message.endsWith('token expired')
    ? 'Your sign-in has expired: open a new sign-in link, or paste a new token.'
    : `The server refused your sign-in: ${message}`;

export const AuthProvider = ({ children }: { children: ReactNode }) => {
  const [state, setState] = useState(initialSignIn);

  const signOut = useCallback((reason?: string) => {
    forgetToken();
    setState({ signedIn: null, reason: reason ?? null });
  }, []);

  const signIn = useCallback((token: string): string | null => {
    const read = readToken(token);
    if ('problem' in read) return read.problem;
    storeToken(read.token);
    setState({ signedIn: read, reason: null });
    return null;
  }, []);

  const api = useMemo(
    () => createApiClient(state.signedIn?.token ?? null, (message) => signOut(refusalReason(message))),
    [state.signedIn, signOut],
  );

  const value = useMemo(
    () => ({ ...state, api, signIn, signOut, canChange: state.signedIn?.role === 'admin' }),
    [state, api, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
};

export const useAuth = (): AuthValue => {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error('useAuth outside <AuthProvider>');
  return auth;
};

/** The signed-in view of auth, for pages that only render once someone is signed in. */
export const useSignedIn = (): AuthValue & { signedIn: SignedIn } => {
  const auth = useAuth();
  if (auth.signedIn === null) throw new Error('useSignedIn before sign-in');
  return auth as AuthValue & { signedIn: SignedIn };
};
