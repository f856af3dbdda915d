import { useEffect, useState } from 'react';
import { dataOf, type Schemas } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { Link } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';

type HistoryEvent = Schemas['WorkflowHistoryEntryDto'];

export interface VersionEntry {
  version: number;
  /** What made the version: created, copied from another workflow, or published. */
  how: 'Created' | 'Copied' | 'Published';
  by: string;
  at: string;
}

const HOW: Record<string, VersionEntry['how']> = {
  WorkflowCreated: 'Created',
  WorkflowCopied: 'Copied',
  WorkflowDefinitionPublished: 'Published',
};

/** The events that made a version, newest first. */
const versionsIn = (events: HistoryEvent[]): VersionEntry[] =>
  events
    .flatMap(({ type, data: { version }, metadata, recordedAt }) =>
      type in HOW && typeof version === 'number' ? [{ version, how: HOW[type], by: metadata.actor.sub, at: recordedAt }] : [],
    )
    .reverse();

const formatTime = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The workflow's versions, from its audit history: who made each and when; any can be opened. */
export const VersionHistory = ({
  workflowId,
  currentVersion,
  openVersion,
  refreshKey,
  onOpen,
}: {
  workflowId: string;
  currentVersion: number;
  /** The old version shown on the canvas, if one is. */
  openVersion: number | null;
  /** Changes whenever a version was published from this page. */
  refreshKey: number;
  onOpen: (entry: VersionEntry) => void;
}) => {
  const { api } = useSignedIn();
  const [versions, setVersions] = useState<VersionEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.GET('/audit/workflows/{id}/history', { params: { path: { id: workflowId } } }).then(
      (answer) => {
        if (!live) return;
        setVersions(versionsIn(dataOf(answer).items));
        setError(null);
      },
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [api, workflowId, refreshKey]);

  return (
    <section className="version-history" aria-labelledby="version-history-title">
      <h2 id="version-history-title">Versions</h2>
      <ErrorNotice error={error} />
      {versions === null && error === null && <p className="hint">Loading the history…</p>}
      {versions !== null && (
        <ol className="version-list" aria-label="Versions, newest first">
          {versions.map((entry) => (
            <li key={`${entry.version} ${entry.at}`} className={entry.version === openVersion ? 'open' : undefined}>
              <div className="version-line">
                <strong>Version {entry.version}</strong>
                {entry.version === currentVersion && <span className="badge">Current</span>}
                {entry.version === openVersion && <span className="badge">Open</span>}
              </div>
              <div className="hint">
                {entry.how} by {entry.by} · <time dateTime={entry.at}>{formatTime(entry.at)}</time>
              </div>
              {entry.version !== currentVersion && entry.version !== openVersion && (
                <button type="button" onClick={() => onOpen(entry)}>
                  Open version {entry.version}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <p className="hint">
        <Link to={`/audit?workflow=${encodeURIComponent(workflowId)}`}>Every event of this workflow in the audit log</Link>, renames and
        deletion included.
      </p>
    </section>
  );
};
