import { useRouter } from '../routing/router.js';

/** The page header's back arrow: the previous page, or the start when this tab has none. */
export const BackButton = () => {
  const { navigate } = useRouter();
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Back"
      onClick={() => (window.history.length > 1 ? window.history.back() : navigate('/'))}
    >
      <span aria-hidden="true">←</span>
    </button>
  );
};
