import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../auth/auth-context.js';

/**
 * One GET of `path` (none while it is null), again on `refresh`. The data of the same path stays
 * shown while it is fetched again; an answer to a superseded request is dropped.
 */
export const useResource = <T,>(path: string | null) => {
  const { api } = useSignedIn();
  const [state, setState] = useState<{ path: string | null; data: T | null; error: unknown; loading: boolean }>({
    path,
    data: null,
    error: null,
    loading: path !== null,
  });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((was) => ({ path, data: was.path === path ? was.data : null, error: null, loading: true }));
    api.get<T>(path).then(
      (data) => current && setState({ path, data, error: null, loading: false }),
      (error: unknown) => current && setState((was) => ({ ...was, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, path, asked]);
  const refresh = useCallback(() => setAsked((count) => count + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, refresh };
};
