import { type ReactNode, useState } from 'react';
import { Dialog } from '../ui/dialog.js';
import { ErrorNotice } from '../ui/errors.js';

/** Asks before an action that cannot be taken back; Cancel comes first and has the focus. */
export const ConfirmDialog = ({
  title,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) => {
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const confirm = async () => {
    if (sending) return;
    setError(null);
    setSending(true);
    try {
      await onConfirm();
    } catch (refused) {
      setError(refused);
      setSending(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary danger" aria-disabled={sending} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
};
