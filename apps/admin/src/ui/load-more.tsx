/** Under a list read a page at a time: asks for the next page; busy while it comes. */
export const LoadMore = ({ busy, onLoad }: { busy: boolean; onLoad: () => Promise<void> }) => (
  <div className="load-more">
    {/* Never disabled: a disabled button would drop the keyboard focus. */}
    <button type="button" aria-busy={busy} onClick={() => void onLoad()}>
      Load more
    </button>
  </div>
);
