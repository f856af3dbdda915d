import { dataOf } from '../api/api-client.js';
import { Link } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { endReasonText, type SessionDetails, timeText } from './session-views.js';
import { useChannelNames } from './use-channel-names.js';
import { usePageDetail } from '../layout/page-title.js';
import { useResource } from './use-resource.js';
import './sessions.css';

const Facts = ({ session, workflowName }: { session: SessionDetails; workflowName: string | undefined }) => {
  const { channelName, channelsError } = useChannelNames();
  const workflowPath = `/workflows/${encodeURIComponent(session.workflowId)}`;
  return (
    <>
      <ErrorNotice error={channelsError} />
      <dl className="session-facts">
        <dt>Status</dt>
        <dd>{session.status === 'active' ? 'Active' : 'Ended'}</dd>
        <dt>Workflow</dt>
        <dd>
          <Link to={workflowPath}>{workflowName ?? session.workflowId}</Link> · version {session.workflowVersion}
        </dd>
        <dt>Channel</dt>
        <dd>{channelName(session.channelId)}</dd>
        <dt>Contact</dt>
        <dd>{session.contactId}</dd>
        <dt>Current step</dt>
        <dd>{session.currentStepId ?? '—'}</dd>
        <dt>End reason</dt>
        <dd>
          {endReasonText(session.endReason)}
          {session.team !== null && ` (team ${session.team})`}
        </dd>
        <dt>Started</dt>
        <dd>{timeText(session.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{timeText(session.endedAt)}</dd>
      </dl>
    </>
  );
};

/** One session: where it stands, what it collected and everything said in it. */
export const SessionPage = ({ sessionId }: { sessionId: string }) => {
  const session = useResource(sessionId, (api, id) => api.GET('/sessions/{id}', { params: { path: { id } } }).then(dataOf));
  const details = session.data;
  const workflowPath = details === null ? null : `/workflows/${encodeURIComponent(details.workflowId)}`;
  // A deleted workflow answers 404: the session then names it by id, without an error.
  const workflowName = useResource(details?.workflowId ?? null, (api, id) =>
    api.GET('/workflows/{id}', { params: { path: { id } } }).then(dataOf),
  ).data?.name;
  const variables = details === null ? [] : Object.entries(details.variables);
  // Named by its workflow, as the workflow's other pages are, and by whom it is with.
  usePageDetail(details === null || workflowName === undefined ? undefined : `${details.contactId} · ${workflowName}`);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Workflows</Link>
        {workflowPath !== null && (
          <>
            {' '}
            <span aria-hidden="true">›</span> <Link to={`${workflowPath}/sessions`}>Sessions of {workflowName ?? 'the workflow'}</Link>
          </>
        )}
      </nav>
      <header className="page-header">
        <h1>{details === null ? 'Session' : `Session with ${details.contactId}`}</h1>
        <span className="spacer" />
        <button type="button" onClick={session.refresh}>
          Refresh
        </button>
      </header>
      <ErrorNotice error={session.error} />
      {details === null ? (
        session.error === null && <p className="hint">Loading the session…</p>
      ) : (
        <>
          <Facts session={details} workflowName={workflowName} />
          <section aria-labelledby="session-variables">
            <h2 id="session-variables">Variables</h2>
            {variables.length === 0 ? (
              <p>No variables collected yet.</p>
            ) : (
              <table className="session-variables">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {variables.map(([name, value]) => (
                    <tr key={name}>
                      <td>
                        <code>{name}</code>
                      </td>
                      <td>{String(value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="session-transcript">
            <h2 id="session-transcript">Transcript</h2>
            {details.transcript.length === 0 ? (
              <p>Nothing has been said yet.</p>
            ) : (
              <ol className="transcript">
                {details.transcript.map((message) => (
                  <li key={message.id} className={`transcript-message ${message.direction}`}>
                    <span className="transcript-who">{message.direction === 'inbound' ? 'Customer' : 'Bot'}</span>
                    <p className="transcript-text">{message.text}</p>
                    {message.choices !== undefined && (
                      <p className="transcript-choices">Choices: {message.choices.map((choice) => choice.label).join(', ')}</p>
                    )}
                    <time dateTime={message.at}>{timeText(message.at)}</time>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
};
