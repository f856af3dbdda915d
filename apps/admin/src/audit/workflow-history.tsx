import { type FormEvent, useEffect, useId, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { useRouter } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { actorOf, type AsOfQuery, formatTime, type WorkflowAsOf, type WorkflowHistory, type WorkflowStep } from './audit-types.js';
import { EventDetails } from './event-details.js';

/** The versions a workflow's history names (created, copied, published), newest first. */
const versionsOf = (history: WorkflowHistory): number[] =>
  [...new Set(history.items.map((event) => event.data.version).filter((version): version is number => typeof version === 'number'))].sort(
    (a, b) => b - a,
  );

/** What a step does, in a few words: its text, or the field that matters for its type. */
const stepGist = (step: WorkflowStep): string => {
  if ('text' in step) return step.text;
  if ('instructions' in step) return step.instructions;
  if ('team' in step) return step.team;
  if ('seconds' in step) return String(step.seconds);
  return '';
};

const WorkflowSnapshot = ({ shown }: { shown: WorkflowAsOf }) => {
  const { state, asOf } = shown;
  return (
    <div className="workflow-snapshot" role="region" aria-label="The workflow as it was">
      <p>
        As of <time dateTime={asOf.recordedAt}>{formatTime(asOf.recordedAt)}</time> (revision {asOf.revision}):
      </p>
      <dl className="snapshot-facts">
        <dt>Name</dt>
        <dd>{state.name}</dd>
        <dt>Version</dt>
        <dd>{state.version}</dd>
        <dt>Status</dt>
        <dd>{state.status === 'deleted' ? 'Deleted' : 'Active'}</dd>
      </dl>
      {state.status === 'active' &&
        (state.steps.length === 0 ? (
          <p>No steps.</p>
        ) : (
          <table>
            <caption>Steps</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Type</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {state.steps.map((step) => (
                <tr key={step.id}>
                  <td>
                    <code>{step.id}</code>
                  </td>
                  <td>{step.type}</td>
                  <td>{stepGist(step)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
};

/** Time travel: the workflow as it was at one of its versions, or at a moment. */
const TimeTravel = ({ workflowId, versions }: { workflowId: string; versions: number[] }) => {
  const { api } = useSignedIn();
  const id = useId();
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  const [moment, setMoment] = useState('');
  const [shown, setShown] = useState<WorkflowAsOf | null>(null);
  const [error, setError] = useState<unknown>(null);

  const show = async (query: AsOfQuery) => {
    setError(null);
    setShown(null);
    try {
      setShown(dataOf(await api.GET('/audit/workflows/{id}/state', { params: { path: { id: workflowId }, query } })));
    } catch (refused) {
      setError(refused);
    }
  };
  const showVersion = (event: FormEvent) => {
    event.preventDefault();
    void show({ version: Number(version) });
  };
  const showMoment = (event: FormEvent) => {
    event.preventDefault();
    // The field holds the browser's local time; the API wants a zone, so it gets UTC.
    const at = new Date(moment);
    if (moment === '' || Number.isNaN(at.getTime())) {
      setError(new Error('Enter a date and time.'));
      return;
    }
    void show({ at: at.toISOString() });
  };

  return (
    <div className="time-travel">
      <h3>As it was</h3>
      <div className="time-travel-forms">
        <form onSubmit={showVersion} className="row">
          <label htmlFor={`${id}-version`}>Version</label>
          <select id={`${id}-version`} value={version} onChange={(event) => setVersion(event.target.value)}>
            {versions.map((known) => (
              <option key={known} value={known}>
                Version {known}
              </option>
            ))}
          </select>
          <button type="submit">Show version</button>
        </form>
        <form onSubmit={showMoment} className="row">
          <label htmlFor={`${id}-moment`}>Time</label>
          <input
            id={`${id}-moment`}
            type="datetime-local"
            step="0.001"
            value={moment}
            onChange={(event) => setMoment(event.target.value)}
          />
          <button type="submit">Show at that time</button>
        </form>
      </div>
      <ErrorNotice error={error} />
      {shown !== null && <WorkflowSnapshot shown={shown} />}
    </div>
  );
};

/** One workflow's every event (deleted workflows too), from `?workflow=<id>` or the id typed in. */
export const WorkflowHistorySection = () => {
  const { api } = useSignedIn();
  const { search, navigate } = useRouter();
  const id = useId();
  const workflowId = search.get('workflow') ?? '';
  const [typed, setTyped] = useState(workflowId);
  const [history, setHistory] = useState<WorkflowHistory | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setTyped(workflowId);
    setHistory(null);
    setError(null);
    if (workflowId === '') return;
    let current = true;
    api
      .GET('/audit/workflows/{id}/history', { params: { path: { id: workflowId } } })
      .then((answer) => current && setHistory(dataOf(answer)))
      .catch((refused: unknown) => current && setError(refused));
    return () => {
      current = false;
    };
  }, [api, workflowId]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wanted = typed.trim();
    navigate(wanted === '' ? '/audit' : `/audit?workflow=${encodeURIComponent(wanted)}`);
  };

  return (
    <section className="audit-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Workflow history</h2>
      <form onSubmit={submit} className="row workflow-pick">
        <label htmlFor={`${id}-workflow`}>Workflow ID</label>
        <input
          id={`${id}-workflow`}
          value={typed}
          placeholder="A workflow's id, deleted ones too"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className="primary">
          Show history
        </button>
      </form>
      <ErrorNotice error={error} />
      {workflowId !== '' && history === null && error === null && <p>Loading the history…</p>}
      {history !== null && (
        <>
          <div className="table-scroll">
            <table className="audit-table">
              <caption>Every event of workflow {history.workflowId}, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Recorded</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Type</th>
                  <th scope="col">By</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((event) => (
                  <tr key={event.id}>
                    <td>{event.revision}</td>
                    <td>
                      <time dateTime={event.recordedAt}>{formatTime(event.recordedAt)}</time>
                    </td>
                    <td>{event.summary}</td>
                    <td>{event.type}</td>
                    <td>{actorOf(event)}</td>
                    <td>
                      <EventDetails event={event} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <TimeTravel key={history.workflowId} workflowId={history.workflowId} versions={versionsOf(history)} />
        </>
      )}
    </section>
  );
};
