import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

/**
 * The console's routes live in the address bar (History API). A page with unsaved work registers
 * a guard: leaving it — by a link, the back button or closing the tab — asks first.
 */
interface RouterValue {
  path: string;
  search: URLSearchParams;
  navigate: (to: string, options?: { replace?: boolean }) => void;
  setGuard: (guard: LeaveGuard | null) => void;
}

/** What leaving a page with unsaved work asks, and what to do once the user agreed to leave it. */
interface LeaveGuard {
  message: string;
  onLeave?: () => void;
}

const RouterContext = createContext<RouterValue | null>(null);

const here = () => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) });

export const Router = ({ children }: { children: ReactNode }) => {
  const [location, setLocation] = useState(here);
  const guard = useRef<LeaveGuard | null>(null);
  const shown = useRef(`${window.location.pathname}${window.location.search}`);

  useEffect(() => {
    const onPop = () => {
      const left = guard.current;
      if (left !== null && !window.confirm(left.message)) {
        window.history.pushState(null, '', shown.current);
        return;
      }
      guard.current = null;
      left?.onLeave?.();
      shown.current = `${window.location.pathname}${window.location.search}`;
      setLocation(here());
    };
    const onUnload = (event: BeforeUnloadEvent) => {
      if (guard.current !== null) event.preventDefault();
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);

  const navigate = useCallback((to: string, options?: { replace?: boolean }) => {
    const left = guard.current;
    if (left !== null && !window.confirm(left.message)) return;
    guard.current = null;
    left?.onLeave?.();
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    shown.current = to;
    setLocation(here());
    window.scrollTo(0, 0);
  }, []);

  const setGuard = useCallback((next: LeaveGuard | null) => {
    guard.current = next;
  }, []);

  return <RouterContext.Provider value={{ ...location, navigate, setGuard }}>{children}</RouterContext.Provider>;
};

export const useRouter = (): RouterValue => {
  const router = useContext(RouterContext);
  if (router === null) throw new Error('useRouter outside <Router>');
  return router;
};

/** Asks before leaving while `dirty` holds; `onLeave` runs when the user agreed to leave the page for another of the console. */
export const useLeaveGuard = (
  dirty: boolean,
  onLeave?: () => void,
  message = 'You have unsaved changes. Leave this page and lose them?',
): void => {
  const { setGuard } = useRouter();
  useEffect(() => {
    setGuard(dirty ? { message, onLeave } : null);
    return () => setGuard(null);
  }, [dirty, onLeave, message, setGuard]);
};

/** `/workflows/:id` against `/workflows/abc` → `{id: 'abc'}`; null when it does not match. */
export const matchPath = (pattern: string, path: string): Record<string, string> | null => {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}/?$`,
  );
  const found = regex.exec(path);
  if (found === null) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
};

/** A link that navigates inside the console (and still opens in a new tab with a modifier key). */
export const Link = ({
  to,
  children,
  className,
  ...rest
}: {
  to: string;
  children: ReactNode;
  className?: string;
  'aria-label'?: string;
  'aria-current'?: 'page';
}) => {
  const { navigate } = useRouter();
  return (
    <a
      href={to}
      className={className}
      {...rest}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
};
