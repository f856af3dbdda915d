import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';

/**
 * One read (none while `key` is null), again on `refresh`. `key` names what `load` reads (its path,
 * an id): a new key reads again, and the data of the same key stays shown while it is read again;
 * an answer to a superseded read is dropped.
 */
export const useResource = <T>(key: string | null, load: (api: ApiClient, key: string) => Promise<T>) => {
  const { api } = useSignedIn();
  const [state, setState] = useState<{ key: string | null; data: T | null; error: unknown }>({ key, data: null, error: null });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((was) => ({ key, data: was.key === key ? was.data : null, error: null }));
    load(api, key).then(
      (data) => current && setState({ key, data, error: null }),
      (error: unknown) => current && setState((was) => ({ ...was, error })),
    );
    return () => {
      current = false;
    };
    // `load` is a new function at every render; the key says when it reads something else.
  }, [api, key, asked]);
  const refresh = useCallback(() => setAsked((count) => count + 1), []);
  // Until the effect runs for a new key, the state still holds the previous one.
  const fresh = state.key === key;
  return { data: fresh ? state.data : null, error: fresh ? state.error : null, refresh };
};
