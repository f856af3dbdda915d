import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { webchatApi } from '../chat/webchat-api.js';
import { ErrorNotice } from '../ui/errors.js';
import { randomId } from '../ui/random-id.js';

/** How often the panel looks whether the conversation has begun, until it has. */
const BEGUN_POLL_MS = 1000;

/** A contact id nobody else has: each Try it conversation starts from nothing. */
const freshContactId = (): string => `try-it-${randomId()}`;

/**
 * The workflow in a real web chat conversation, on its preview channel: the same widget a customer
 * gets, in a frame.
 */
export const TryItPanel = ({
  workflowId,
  version,
  hasSteps,
  dirty,
}: {
  workflowId: string;
  /** The version the editor shows. */
  version: number;
  /** Whether that version has any step: without one a conversation ends at once, unanswered. */
  hasSteps: boolean;
  dirty: boolean;
}) => {
  const { api } = useSignedIn();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [contactId, setContactId] = useState(freshContactId);
  // The version this conversation's session runs, whatever the editor shows since (a save here, or
  // one elsewhere after this page loaded the workflow): the newest when its first message came.
  const [running, setRunning] = useState<number | null>(null);
  // Deleted elsewhere meanwhile: a conversation on its preview would go unanswered.
  const [deleted, setDeleted] = useState(false);
  const failed = useCallback((failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 404) setDeleted(true);
    else setError(failure);
  }, []);

  useEffect(() => {
    setRunning(null);
    if (channelId === null) return undefined;
    let live = true;
    const conversation = webchatApi(channelId, contactId);
    const readOnceBegun = async () => {
      while (live && (await conversation.transcript({ newest: true })).items.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, BEGUN_POLL_MS));
      }
      if (!live) return;
      const { version: newest } = dataOf(await api.GET('/workflows/{id}', { params: { path: { id: workflowId } } }));
      if (live) setRunning(newest);
    };
    readOnceBegun().catch((failure: unknown) => live && failed(failure));
    return () => {
      live = false;
    };
  }, [api, workflowId, channelId, contactId, failed]);

  useEffect(() => {
    let live = true;
    api.POST('/workflows/{id}/try-it', { params: { path: { id: workflowId } } }).then(
      (answer) => live && setChannelId(dataOf(answer).channelId),
      (failure: unknown) => live && failed(failure),
    );
    return () => {
      live = false;
    };
  }, [api, workflowId, failed]);

  // The conversation on screen, for the end of the panel to end its session.
  const shownContact = useRef(contactId);
  shownContact.current = contactId;
  const endConversation = useCallback(
    (contact: string) =>
      // Kept alive: the request still goes out when it is sent as the tab closes.
      api
        .POST('/workflows/{id}/try-it/end', { params: { path: { id: workflowId } }, body: { contactId: contact }, keepalive: true })
        .then(dataOf),
    [api, workflowId],
  );
  // Closing the panel, leaving the editor or closing the tab ends the preview's session: it would
  // count as active until it expired. (A page brought back from the back-forward cache needs
  // nothing more: the visitor's next message there starts a new session.)
  useEffect(() => {
    if (channelId === null) return undefined;
    const endShown = () => {
      endConversation(shownContact.current).catch(() => undefined);
    };
    window.addEventListener('pagehide', endShown);
    return () => {
      window.removeEventListener('pagehide', endShown);
      endShown();
    };
  }, [channelId, endConversation]);
  const restart = () => {
    setError(null);
    endConversation(contactId).catch(failed);
    setContactId(freshContactId());
  };

  return (
    <section className="try-it" aria-labelledby="try-it-title">
      <div className="row">
        <h2 id="try-it-title">Try it</h2>
        <span className="spacer" />
        <button type="button" onClick={restart} disabled={channelId === null || deleted}>
          Restart
        </button>
      </div>
      {!deleted && (
        <p className="hint">
          Runs version {running ?? version} as a customer sees it, on this workflow&apos;s preview web chat channel. Saved changes apply to
          new conversations only: after saving, press Restart.{dirty && ' Your unsaved changes are not in it.'} It is a real session: it
          counts as an active session of the workflow until you press Restart, leave Try it or close the page.
        </p>
      )}
      {running !== null && running < version && (
        <p className="notice" role="status">
          Version {version} was saved after this conversation began: press Restart to try it.
        </p>
      )}
      {running !== null && running > version && (
        <p className="notice" role="status">
          Version {running} was saved elsewhere since this page loaded version {version}: the steps shown here are not the ones running.
          Reload the page to see them.
        </p>
      )}
      {(running ?? version) === version && !hasSteps && (
        <p className="notice" role="status">
          This version has no steps yet: a conversation ends at once without a word to the customer. Add a step and save first.
        </p>
      )}
      <ErrorNotice error={error} />
      {channelId === null && error === null && !deleted && <p className="hint">Opening the preview channel…</p>}
      {deleted && (
        <p role="alert" className="notice error">
          This workflow was deleted: there is nothing to try any more.
        </p>
      )}
      {channelId !== null && !deleted && (
        <iframe
          key={contactId}
          title="Try it"
          className="try-it-frame"
          src={`/chat/${channelId}?contact=${encodeURIComponent(contactId)}`}
        />
      )}
    </section>
  );
};
