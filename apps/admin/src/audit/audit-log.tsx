import { type FormEvent, useEffect, useId, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { Link } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { actorOf, type AuditEvent, type AuditPage, EVENT_TYPES, formatTime, WORKFLOW_STREAM } from './audit-types.js';
import { EventDetails } from './event-details.js';

const PAGE_SIZE = 50;

interface Filter {
  stream: string;
  type: string;
}

const NO_FILTER: Filter = { stream: '', type: '' };

const StreamCell = ({ stream }: { stream: string }) => {
  const workflow = WORKFLOW_STREAM.exec(stream);
  if (workflow === null) return <code>{stream}</code>;
  return (
    <Link to={`/audit?workflow=${workflow[1]}`} aria-label={`History of workflow ${workflow[1]}`}>
      <code>{stream}</code>
    </Link>
  );
};

const EventRow = ({ event }: { event: AuditEvent }) => (
  <tr>
    <td>{event.position}</td>
    <td>
      <time dateTime={event.recordedAt}>{formatTime(event.recordedAt)}</time>
    </td>
    <td>
      <StreamCell stream={event.stream} /> <span className="hint">#{event.revision}</span>
    </td>
    <td>{event.type}</td>
    <td>{actorOf(event)}</td>
    <td>
      <EventDetails event={event} />
    </td>
  </tr>
);

/** The workspace's log, oldest first, filtered by stream and type, a page at a time. */
export const AuditLog = () => {
  const { api } = useSignedIn();
  const id = useId();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  /** Where each page visited so far starts: the last one is shown; the first starts at the beginning. */
  const [starts, setStarts] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const after = starts[starts.length - 1];

  useEffect(() => {
    let current = true;
    setPage(null);
    setError(null);
    const query = {
      limit: PAGE_SIZE,
      after: after ?? undefined,
      stream: filter.stream === '' ? undefined : filter.stream,
      type: filter.type === '' ? undefined : filter.type,
    };
    api
      .GET('/audit/events', { params: { query } })
      .then((answer) => current && setPage(dataOf(answer)))
      .catch((refused: unknown) => current && setError(refused));
    return () => {
      current = false;
    };
  }, [api, filter, after]);

  const apply = (next: Filter) => {
    setFilter({ stream: next.stream.trim(), type: next.type.trim() });
    setStarts([null]);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  const pageNumber = starts.length;
  const filtered = filter.stream !== '' || filter.type !== '';
  return (
    <section className="audit-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Events</h2>
      <form className="audit-filters" onSubmit={submit} role="search" aria-label="Filter the events">
        <div className="field">
          <label htmlFor={`${id}-stream`}>Stream</label>
          <input
            id={`${id}-stream`}
            value={draft.stream}
            placeholder="workflow-…, channel-…, session-…"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, stream: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <input
            id={`${id}-type`}
            value={draft.type}
            list={`${id}-types`}
            placeholder="Any type"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, type: event.target.value })}
          />
          <datalist id={`${id}-types`}>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="audit-filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            disabled={!filtered && draft.stream === '' && draft.type === ''}
            onClick={() => {
              setDraft(NO_FILTER);
              apply(NO_FILTER);
            }}
          >
            Clear filters
          </button>
        </div>
      </form>
      <ErrorNotice error={error} />
      {page === null ? (
        error === null && <p>Loading the events…</p>
      ) : (
        <>
          {page.items.length === 0 ? (
            <p className="notice">
              {page.next === null ? 'No events' : 'No events on this page'}
              {filtered ? ' match these filters' : ''}
              {page.next === null ? '.' : '; there may be more on the next page.'}
            </p>
          ) : (
            <div className="table-scroll">
              <table className="audit-table">
                <caption>
                  Page {pageNumber}: events {filtered ? 'matching the filters, ' : ''}oldest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Position</th>
                    <th scope="col">Recorded</th>
                    <th scope="col">Stream</th>
                    <th scope="col">Type</th>
                    <th scope="col">By</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((event) => (
                    <EventRow key={event.id} event={event} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="row audit-paging" aria-label="Pages of events">
            <button type="button" disabled={pageNumber === 1} onClick={() => setStarts(starts.slice(0, -1))}>
              Previous page
            </button>
            <span>Page {pageNumber}</span>
            <button type="button" disabled={page.next === null} onClick={() => setStarts([...starts, page.next])}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
};
