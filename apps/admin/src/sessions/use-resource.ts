import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../auth/auth-context.js';

/**
 * One GET of `path` (none while it is null), again on `refresh`. The data of the same path stays
 * shown while it is fetched again; an answer to a superseded request is dropped.
 */
export const useResource = <T>(path: string | null) => {
  const { api } = useSignedIn();
  const [state, setState] = useState<{ path: string | null; data: T | null; error: unknown }>({ path, data: null, error: null });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((was) => ({ path, data: was.path === path ? was.data : null, error: null }));
    api.get<T>(path).then(
      (data) => current && setState({ path, data, error: null }),
      (error: unknown) => current && setState((was) => ({ ...was, error })),
    );
    return () => {
      current = false;
    };
  }, [api, path, asked]);
  const refresh = useCallback(() => setAsked((count) => count + 1), []);
  // Until the effect runs for a new path, the state still holds the previous one.
  const fresh = state.path === path;
  return { data: fresh ? state.data : null, error: fresh ? state.error : null, refresh };
};
