import type { ReactNode } from 'react';
import { useSignedIn } from '../auth/auth-context.js';
import { Link, useRouter } from '../routing/router.js';

const SECTIONS = [
  { to: '/', label: 'Workflows', active: (path: string) => path === '/' || path.startsWith('/workflows') || path.startsWith('/sessions') },
  { to: '/channels', label: 'Channels', active: (path: string) => path.startsWith('/channels') },
  { to: '/audit', label: 'Audit log', active: (path: string) => path.startsWith('/audit') },
];

/** Tools navigation, who is signed in, and the page. */
export const ConsoleLayout = ({ children }: { children: ReactNode }) => {
  const { signedIn, signOut } = useSignedIn();
  const { path } = useRouter();
  return (
    <div className="console">
      <header className="top-bar">
        <nav aria-label="Tools">
          <span className="brand">Tools</span>
          {SECTIONS.map((section) => (
            <Link key={section.to} to={section.to} aria-current={section.active(path) ? 'page' : undefined}>
              {section.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span>
            {signedIn.sub} · {signedIn.role === 'admin' ? 'Admin' : 'Auditor (read-only)'} · {signedIn.workspace}
          </span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="page">{children}</main>
    </div>
  );
};
