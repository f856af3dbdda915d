import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorNotice } from '../ui/errors.js';
import { MAX_NAME_LENGTH } from './copy-name.js';

/**
 * Asks for a workflow's name (Add New, Copy, Rename). An empty or too long name is refused here,
 * before anything is sent; the API's own refusal of a name (400) is shown under the field as it said it.
 */
export const WorkflowNameDialog = ({
  title,
  initialName = '',
  onSubmit,
  onClose,
}: {
  title: string;
  initialName?: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) => {
  const [name, setName] = useState(initialName);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setError(null);
    const length = [...name.trim()].length;
    const refusal =
      length === 0
        ? 'Name is required'
        : length > MAX_NAME_LENGTH
          ? `Name must be at most ${MAX_NAME_LENGTH} characters, not ${length}`
          : null;
    if (refusal !== null) {
      setNameError(refusal);
      input.current?.focus();
      return;
    }
    setSending(true);
    try {
      await onSubmit(name);
    } catch (refused) {
      if (refused instanceof ApiError && refused.status === 400) {
        setNameError(refused.message);
        input.current?.focus();
      } else setError(refused);
      setSending(false);
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Name</label>
          <input
            ref={input}
            id={inputId}
            value={name}
            autoComplete="off"
            aria-invalid={nameError !== null}
            aria-describedby={nameError === null ? hintId : `${errorId} ${hintId}`}
            onChange={(event) => {
              setName(event.target.value);
              setNameError(null);
            }}
          />
          {nameError !== null && (
            <p id={errorId} className="field-error">
              {nameError}
            </p>
          )}
          <p id={hintId} className="hint">
            At most {MAX_NAME_LENGTH} characters.
          </p>
        </div>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" aria-disabled={sending}>
            Submit
          </button>
        </div>
      </form>
    </Dialog>
  );
};
