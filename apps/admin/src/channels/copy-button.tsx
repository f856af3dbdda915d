import { useEffect, useState } from 'react';
import { describeError } from '../ui/errors.js';

const COPIED_SHOWN_MS = 4000;

/** Copies `text` to the clipboard and says so ("Copied"), or why it could not. */
export const CopyButton = ({ text, describedBy }: { text: string; describedBy: string }) => {
  const [outcome, setOutcome] = useState<{ copied: true } | { problem: string } | null>(null);
  useEffect(() => {
    if (outcome === null || !('copied' in outcome)) return;
    const timer = setTimeout(() => setOutcome(null), COPIED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome({ copied: true });
    } catch (error) {
      setOutcome({ problem: `Could not copy (${describeError(error)}): select the text and copy it.` });
    }
  };

  return (
    <span className="copy">
      <button type="button" aria-describedby={describedBy} onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className={outcome !== null && 'problem' in outcome ? 'copy-problem' : 'copy-done'}>
        {outcome === null ? '' : 'copied' in outcome ? 'Copied' : outcome.problem}
      </span>
    </span>
  );
};
