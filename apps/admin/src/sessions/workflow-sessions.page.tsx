import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { Link, useRouter } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { LoadMore } from '../ui/load-more.js';
import { endReasonText, type SessionSummary, timeText } from './session-views.js';
import { useChannelNames } from './use-channel-names.js';
import { useResource } from './use-resource.js';
import { usePageDetail } from '../layout/page-title.js';
import './sessions.css';

const STATUSES = [
  { status: 'active', label: 'Active' },
  { status: 'ended', label: 'Ended' },
] as const satisfies { status: SessionSummary['status']; label: string }[];

type Status = (typeof STATUSES)[number]['status'];

/** Sessions a page holds; ended sessions pile up, so the rest waits for "Load more". */
const PAGE_SIZE = 50;

interface SessionPage {
  items: SessionSummary[];
  nextCursor?: string;
}

/**
 * The first page of a workflow's sessions in `status`, read again on `refresh`, and the pages
 * "Load more" adds after it. The added pages belong to the first page they follow: a new first
 * page (another status, a refresh) starts the list again.
 */
const useSessionPages = (workflowId: string, status: Status) => {
  const { api } = useSignedIn();
  const readPage = (cursor?: string): Promise<SessionPage> =>
    api.GET('/workflows/{id}/sessions', { params: { path: { id: workflowId }, query: { status, limit: PAGE_SIZE, cursor } } }).then(dataOf);
  const first = useResource(`${workflowId} ${status}`, () => readPage());
  const [more, setMore] = useState<{ after: SessionPage; listed: SessionPage; loading: boolean; error: unknown } | null>(null);
  const added = more !== null && more.after === first.data ? more : null;
  const listed = added?.listed ?? first.data;

  const loadMore = async () => {
    const after = first.data;
    if (after === null || listed?.nextCursor === undefined || added?.loading === true) return;
    const sofar = listed;
    setMore({ after, listed: sofar, loading: true, error: null });
    try {
      const page = await readPage(sofar.nextCursor);
      setMore({ after, listed: { items: [...sofar.items, ...page.items], nextCursor: page.nextCursor }, loading: false, error: null });
    } catch (error) {
      setMore({ after, listed: sofar, loading: false, error });
    }
  };
  return { listed, error: first.error ?? added?.error ?? null, loadingMore: added?.loading === true, loadMore, refresh: first.refresh };
};

/** Active or Ended as tabs (arrow keys move between them), kept in the address as `?status=`. */
const StatusTabs = ({ status, panelId, onChange }: { status: Status; panelId: string; onChange: (status: Status) => void }) => {
  const tabs = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = STATUSES[(STATUSES.findIndex((tab) => tab.status === status) + 1) % STATUSES.length].status;
    onChange(next);
    // The tab list re-renders with the new selection; focus follows it.
    requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>('[aria-selected=true]')?.focus());
  };
  return (
    <div ref={tabs} role="tablist" aria-label="Session status" className="session-tabs" onKeyDown={onKeyDown}>
      {STATUSES.map((tab) => (
        <button
          key={tab.status}
          type="button"
          role="tab"
          id={`${panelId}-${tab.status}`}
          aria-selected={tab.status === status}
          aria-controls={panelId}
          tabIndex={tab.status === status ? 0 : -1}
          onClick={() => onChange(tab.status)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
};

const SessionsTable = ({ status, sessions }: { status: Status; sessions: SessionSummary[] }) => {
  const { channelName, channelsError } = useChannelNames();
  if (sessions.length === 0) {
    return <p>{status === 'active' ? 'No conversation is in this workflow right now.' : 'No session of this workflow has ended yet.'}</p>;
  }
  return (
    <>
      <ErrorNotice error={channelsError} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Channel</th>
              <th scope="col">Version</th>
              <th scope="col">{status === 'active' ? 'Current step' : 'End reason'}</th>
              <th scope="col">Started</th>
              {status === 'ended' && <th scope="col">Ended</th>}
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td>
                  <Link to={`/sessions/${encodeURIComponent(session.id)}`}>{session.contactId}</Link>
                </td>
                <td>{channelName(session.channelId)}</td>
                <td>{session.workflowVersion}</td>
                <td>{status === 'active' ? (session.currentStepId ?? '—') : endReasonText(session.endReason)}</td>
                <td>{timeText(session.startedAt)}</td>
                {status === 'ended' && <td>{timeText(session.endedAt)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
};

/** A workflow's sessions, active or ended, newest first, each linking to its page. */
export const WorkflowSessionsPage = ({ workflowId }: { workflowId: string }) => {
  const { search, navigate } = useRouter();
  const status: Status = search.get('status') === 'ended' ? 'ended' : 'active';
  const base = `/workflows/${encodeURIComponent(workflowId)}`;
  const workflow = useResource(workflowId, (api, id) => api.GET('/workflows/{id}', { params: { path: { id } } }).then(dataOf));
  const sessions = useSessionPages(workflowId, status);
  const panelId = useId();
  const name = workflow.data?.name;
  usePageDetail(name);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Workflows</Link> <span aria-hidden="true">›</span> {name === undefined ? 'Workflow' : <Link to={base}>{name}</Link>}
      </nav>
      <header className="page-header">
        <h1>{name === undefined ? 'Sessions' : `Sessions of ${name}`}</h1>
        <span className="spacer" />
        <button type="button" onClick={sessions.refresh}>
          Refresh
        </button>
      </header>
      {workflow.error !== null ? (
        <ErrorNotice error={workflow.error} />
      ) : (
        <>
          <StatusTabs
            status={status}
            panelId={panelId}
            onChange={(next) => navigate(`${base}/sessions?status=${next}`, { replace: true })}
          />
          <div role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${status}`}>
            <ErrorNotice error={sessions.error} />
            {sessions.listed === null ? (
              sessions.error === null && <p className="hint">Loading sessions…</p>
            ) : (
              <>
                <SessionsTable status={status} sessions={sessions.listed.items} />
                {sessions.listed.nextCursor !== undefined && <LoadMore busy={sessions.loadingMore} onLoad={sessions.loadMore} />}
              </>
            )}
          </div>
        </>
      )}
    </>
  );
};
