import { type ReactNode, useState } from 'react';
import { AuthProvider, useAuth } from './auth/auth-context.js';
import { SignInPage } from './auth/sign-in.page.js';
import { ConsoleLayout } from './layout/console-layout.js';
import { PageDetailContext, usePageTitle } from './layout/page-title.js';
import { matchPath, Router, useRouter } from './routing/router.js';
import { ChatWidgetPage } from './chat/chat-widget.page.js';
import { WorkflowsPage } from './workflows/workflows.page.js';
import { WorkflowEditorPage } from './editor/workflow-editor.page.js';
import { WorkflowSessionsPage } from './sessions/workflow-sessions.page.js';
import { SessionPage } from './sessions/session.page.js';
import { ChannelsPage } from './channels/channels.page.js';
import { AuditPage } from './audit/audit.page.js';

/** `title` names the page in the tab and the history, so that they can be told apart. */
type Route = { pattern: string; title: string; render: (params: Record<string, string>) => ReactNode };

/** The console's pages, most specific first. */
const CONSOLE_ROUTES: Route[] = [
  { pattern: '/', title: 'Workflows', render: () => <WorkflowsPage /> },
  { pattern: '/workflows/:id/sessions', title: 'Sessions', render: ({ id }) => <WorkflowSessionsPage workflowId={id} /> },
  { pattern: '/workflows/:id', title: 'Workflow editor', render: ({ id }) => <WorkflowEditorPage key={id} workflowId={id} /> },
  { pattern: '/sessions/:id', title: 'Session', render: ({ id }) => <SessionPage key={id} sessionId={id} /> },
  { pattern: '/channels', title: 'Channels', render: () => <ChannelsPage /> },
  { pattern: '/audit', title: 'Audit log', render: () => <AuditPage /> },
];

const NotFound = () => (
  <>
    <h1>Page not found</h1>
    <p>
      There is nothing at this address. Go to the <a href="/">Workflows</a> page.
    </p>
  </>
);

const matchingRoute = (path: string): { route: Route; params: Record<string, string> } | undefined => {
  for (const route of CONSOLE_ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params !== null) return { route, params };
  }
  return undefined;
};

const Console = () => {
  const { path } = useRouter();
  const { signedIn } = useAuth();
  const matched = matchingRoute(path);
  const [detail, setDetail] = useState<string>();
  usePageTitle(signedIn === null ? 'Sign in' : (matched?.route.title ?? 'Page not found'), signedIn === null ? undefined : detail);
  if (signedIn === null) return <SignInPage />;
  return (
    <PageDetailContext.Provider value={setDetail}>
      <ConsoleLayout>{matched ? matched.route.render(matched.params) : <NotFound />}</ConsoleLayout>
    </PageDetailContext.Provider>
  );
};

/**
 * The widget is public: customers never sign in. It stays outside sign-in altogether, which
 * reads the tab's storage — denied to the widget's frame on sites that block third-party storage.
 */
const Page = () => {
  const { path } = useRouter();
  const chat = matchPath('/chat/:channelId', path);
  if (chat !== null) return <ChatWidgetPage channelId={chat.channelId} />;
  return (
    <AuthProvider>
      <Console />
    </AuthProvider>
  );
};

export const App = () => (
  <Router>
    <Page />
  </Router>
);
