import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { Link, useRouter } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { actorOf, type AuditEvent, type AuditOrder, type AuditPage, EVENT_TYPES, formatTime, WORKFLOW_STREAM } from './audit-types.js';
import { EventDetails } from './event-details.js';

const PAGE_SIZE = 50;

interface Filter {
  stream: string;
  type: string;
  order: AuditOrder;
}

/** A type as the log names it, whatever its case (`sessionstarted`): the filter matches names exactly. */
const knownType = (typed: string): string => EVENT_TYPES.find((type) => type.toLowerCase() === typed.toLowerCase()) ?? typed;

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

/**
 * The workspace's log, oldest or newest first, filtered by stream and type, a page at a time. The
 * filters are in the address (`?stream=&type=&order=newest`): a reload, a bookmark or a shared
 * link shows the same events.
 */
export const AuditLog = () => {
  const { api } = useSignedIn();
  const { search, navigate } = useRouter();
  const id = useId();
  const streamParam = search.get('stream') ?? '';
  // A link written by hand may name the type in another case.
  const typeParam = knownType(search.get('type') ?? '');
  const order: AuditOrder = search.get('order') === 'newest' ? 'newest' : 'oldest';
  const filter = useMemo<Filter>(() => ({ stream: streamParam, type: typeParam, order }), [streamParam, typeParam, order]);
  const [draft, setDraft] = useState<Filter>(filter);
  /**
   * Where each page visited so far starts, for the filters they were visited with: the last one is
   * shown; the first starts at the beginning (newest first: at the newest event). Other filters
   * start again from page 1.
   */
  const [paging, setPaging] = useState({ filter, starts: [null] as (string | null)[] });
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Other filters in the address (applied here, or Back): the form shows them (set while rendering,
  // so that no request goes out for the old page under the new filters).
  if (paging.filter !== filter) {
    setPaging({ filter, starts: [null] });
    setDraft(filter);
  }
  const starts = paging.filter === filter ? paging.starts : [null];
  const setStarts = (next: (string | null)[]) => setPaging({ filter, starts: next });
  const from = starts[starts.length - 1] ?? undefined;

  useEffect(() => {
    let current = true;
    setPage(null);
    setError(null);
    const query = {
      limit: PAGE_SIZE,
      ...(filter.order === 'newest' ? { order: filter.order, before: from } : { after: from }),
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
  }, [api, filter, from]);

  const apply = (next: Filter) => {
    const params = new URLSearchParams(search);
    const values: Filter = { stream: next.stream.trim(), type: knownType(next.type.trim()), order: next.order };
    // Oldest first is the log's own order: the address names only the other.
    const inAddress = { stream: values.stream, type: values.type, order: values.order === 'oldest' ? '' : values.order };
    for (const [name, value] of Object.entries(inAddress)) {
      if (value === '') params.delete(name);
      else params.set(name, value);
    }
    setDraft(values);
    setStarts([null]);
    const query = params.toString();
    navigate(query === '' ? '/audit' : `/audit?${query}`);
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
        <div className="field">
          <label htmlFor={`${id}-order`}>Order</label>
          {/* Applied at once, with the filters as typed: a new order starts again from page 1. */}
          <select id={`${id}-order`} value={draft.order} onChange={(event) => apply({ ...draft, order: event.target.value as AuditOrder })}>
            <option value="oldest">Oldest first</option>
            <option value="newest">Newest first</option>
          </select>
        </div>
        <div className="audit-filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            disabled={!filtered && draft.stream === '' && draft.type === ''}
            onClick={() => apply({ stream: '', type: '', order: draft.order })}
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
                  Page {pageNumber}: events {filtered ? 'matching the filters, ' : ''}
                  {filter.order} first
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
