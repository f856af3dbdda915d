import { useEffect, useRef, useState } from 'react';
import { ApiError, dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { useRouter } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import { LoadMore } from '../ui/load-more.js';
import { BackButton } from './back-button.js';
import { ConfirmDialog } from './confirm.dialog.js';
import { type CardCommand, WorkflowCardView } from './workflow-card.js';
import { activeSessionsText, type WorkflowCard } from './workflow-card-stream.js';
import { copyNameOf } from './copy-name.js';
import { WorkflowNameDialog } from './workflow-name.dialog.js';
import { useWorkflowCards } from './use-workflow-cards.js';
import './workflows.css';

type OpenDialog = { kind: 'add' } | { kind: CardCommand; card: WorkflowCard } | null;

const EmptyState = ({ canChange }: { canChange: boolean }) => (
  <div className="workflows-empty">
    <h2>No workflows yet</h2>
    <p>
      A workflow is an automated conversation flow: a sequence of steps — sending messages, asking questions, routing to a team, invoking an
      AI agent — that runs by itself when a customer starts a conversation on a channel it is assigned to.
    </p>
    <p>
      {canChange ? (
        <>
          Click <strong>+ Add New</strong> to create your first workflow.
        </>
      ) : (
        'An admin creates workflows with + Add New; they appear here.'
      )}
    </p>
  </div>
);

/** Tools > Workflows: the workspace's workflows as cards with live session counts. */
export const WorkflowsPage = () => {
  const { api, canChange } = useSignedIn();
  const { navigate } = useRouter();
  const { cards, hasMore, loadMore, loadingMore, listError, status, refusal, forget } = useWorkflowCards();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [announcement, setAnnouncement] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  // After a deletion the menu button that opened the dialog is gone with its card: the heading
  // takes the focus, once the dialog's own closing (which restores focus) has run.
  const focusHeadingOnClose = useRef(false);
  useEffect(() => {
    if (dialog !== null || !focusHeadingOnClose.current) return;
    focusHeadingOnClose.current = false;
    heading.current?.focus();
  }, [dialog]);
  const close = () => setDialog(null);
  // The card as it is now: counts change while a confirmation is open.
  const current = (card: WorkflowCard) => cards?.find((shown) => shown.id === card.id) ?? card;
  const workflowOf = (card: WorkflowCard) => ({ params: { path: { id: card.id } } });
  /** Runs a card's command; a workflow deleted meanwhile (elsewhere) is said by name, not by the API's id. */
  const onCard = (card: WorkflowCard, command: () => Promise<void>) => async () => {
    try {
      await command();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      forget(card.id);
      throw new Error(`“${card.name}” was deleted in the meantime, so this cannot be done any more.`, { cause: error });
    }
  };

  return (
    <>
      <header className="page-header">
        <BackButton />
        <h1 ref={heading} tabIndex={-1}>
          Workflows
        </h1>
        <span className="spacer" />
        {canChange && (
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
            + Add New
          </button>
        )}
      </header>
      {status === 'reconnecting' && (
        <p className="notice" role="status">
          Reconnecting…
        </p>
      )}
      {refusal !== null && (
        <p className="notice error" role="alert">
          {refusal}
        </p>
      )}
      <p className="workflows-announcement" role="status">
        {announcement}
      </p>
      <ErrorNotice error={listError} />
      {cards === null ? (
        listError === null && <p className="hint">Loading workflows…</p>
      ) : cards.length === 0 ? (
        <EmptyState canChange={canChange} />
      ) : (
        <div className="workflow-grid">
          {cards.map((card) => (
            <WorkflowCardView
              key={card.id}
              card={card}
              canChange={canChange}
              onCommand={(kind, chosen) => setDialog({ kind, card: chosen })}
            />
          ))}
        </div>
      )}
      {hasMore && <LoadMore busy={loadingMore} onLoad={loadMore} />}

      {dialog?.kind === 'add' && (
        <WorkflowNameDialog
          title="New workflow"
          onClose={close}
          onSubmit={async (name) => {
            const created = dataOf(await api.POST('/workflows', { body: { name } }));
            // The editor reads the workflow at once: wait until the API's reads include it.
            await api.GET('/workflows/{id}', { params: { path: { id: created.id }, query: { consistentWith: created.position } } });
            navigate(`/workflows/${encodeURIComponent(created.id)}`);
          }}
        />
      )}
      {dialog?.kind === 'copy' && (
        <WorkflowNameDialog
          title="Copy workflow"
          initialName={copyNameOf(dialog.card.name)}
          onClose={close}
          onSubmit={(name) =>
            onCard(dialog.card, async () => {
              const copy = dataOf(await api.POST('/workflows/{id}/copy', { ...workflowOf(dialog.card), body: { name } }));
              close();
              setAnnouncement(`Copied “${dialog.card.name}” as “${copy.name}”.`);
            })()
          }
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete “${dialog.card.name}”?`}
          confirmLabel="Delete"
          onClose={close}
          onConfirm={onCard(dialog.card, async () => {
            await api.DELETE('/workflows/{id}', workflowOf(dialog.card));
            forget(dialog.card.id);
            focusHeadingOnClose.current = true;
            close();
            setAnnouncement(`Deleted “${dialog.card.name}”.`);
          })}
        >
          <p>This cannot be undone. The workflow, its steps and its settings are removed.</p>
          <ul>
            <li>Its active sessions end now ({activeSessionsText(current(dialog.card).activeSessions)}).</li>
            <li>Channels that use it will no longer have an automated flow.</li>
          </ul>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'deactivate' && (
        <ConfirmDialog
          title="Deactivate sessions"
          confirmLabel="Confirm"
          onClose={close}
          onConfirm={onCard(dialog.card, async () => {
            await api.POST('/workflows/{id}/deactivate-sessions', workflowOf(dialog.card));
            close();
            setAnnouncement(`Ending the active sessions of “${dialog.card.name}”.`);
          })}
        >
          <p>{deactivationText(current(dialog.card))}</p>
          <p>The workflow stays; new conversations start new sessions.</p>
        </ConfirmDialog>
      )}
    </>
  );
};

const deactivationText = (card: WorkflowCard): string => {
  const count = card.activeSessions;
  if (count === 0) return `“${card.name}” has no active sessions right now; none will end.`;
  return `This ends ${activeSessionsText(count)} of “${card.name}”: ${count === 1 ? 'its conversation stops' : 'their conversations stop'} where ${count === 1 ? 'it is' : 'they are'}.`;
};
