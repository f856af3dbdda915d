import { useId } from 'react';
import { Link, useRouter } from '../routing/router.js';
import { type MenuItem, MenuButton } from '../ui/menu.js';
import { activeSessionsText, type WorkflowCard } from './workflow-card-stream.js';

export type CardCommand = 'copy' | 'delete' | 'deactivate';

/**
 * One workflow: its name (a link to the editor that covers the whole card), its live count of
 * active sessions and its version. Readers get only the items that change nothing.
 */
export const WorkflowCardView = ({
  card,
  canChange,
  onCommand,
}: {
  card: WorkflowCard;
  canChange: boolean;
  onCommand: (command: CardCommand, card: WorkflowCard) => void;
}) => {
  const { navigate } = useRouter();
  const headingId = useId();
  const editor = `/workflows/${encodeURIComponent(card.id)}`;
  const sessions: MenuItem = { label: 'Sessions', onSelect: () => navigate(`${editor}/sessions`) };
  const items: MenuItem[] = canChange
    ? [
        { label: 'Edit', onSelect: () => navigate(editor) },
        { label: 'Copy', onSelect: () => onCommand('copy', card) },
        { label: 'Delete', onSelect: () => onCommand('delete', card), danger: true },
        { label: 'Deactivate Sessions', onSelect: () => onCommand('deactivate', card) },
        sessions,
      ]
    : [{ label: 'View', onSelect: () => navigate(editor) }, sessions];
  return (
    <article className="workflow-card" aria-labelledby={headingId}>
      <div className="workflow-card-top">
        <h2 id={headingId}>
          <Link to={editor} className="workflow-card-link">
            {card.name}
          </Link>
        </h2>
        <MenuButton label={`Workflow actions: ${card.name}`} items={items} />
      </div>
      <p className="workflow-card-count">{activeSessionsText(card.activeSessions)}</p>
      <p className="workflow-card-meta">
        Version {card.version} · updated <time dateTime={card.updatedAt}>{new Date(card.updatedAt).toLocaleString()}</time>
      </p>
    </article>
  );
};
