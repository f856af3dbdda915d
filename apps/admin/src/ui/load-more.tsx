import { useRef } from 'react';

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex="0"]';

/**
 * Under a list read a page at a time, right after the element that holds the list: asks for the
 * next page; busy while it comes. With the last page the button goes, and the keyboard focus
 * with it would drop to the page: it goes on at the first thing the page brought instead.
 */
export const LoadMore = ({ busy, onLoad }: { busy: boolean; onLoad: () => Promise<void> }) => {
  const button = useRef<HTMLButtonElement>(null);
  const load = async () => {
    const list = button.current?.parentElement?.previousElementSibling;
    const before = new Set(list?.querySelectorAll(FOCUSABLE) ?? []);
    await onLoad();
    // React draws the page at a moment of its choosing: a few frames are looked at for it.
    const focusBrought = (framesLeft: number) =>
      requestAnimationFrame(() => {
        if (list === null || list === undefined) return;
        if (button.current !== null) {
          if (framesLeft > 0) focusBrought(framesLeft - 1);
          return;
        }
        const focusable = [...list.querySelectorAll<HTMLElement>(FOCUSABLE)];
        (focusable.find((element) => !before.has(element)) ?? focusable.at(-1))?.focus();
      });
    focusBrought(10);
  };
  return (
    <div className="load-more">
      {/* Never disabled: a disabled button would drop the keyboard focus. */}
      <button type="button" ref={button} aria-busy={busy} onClick={() => void load()}>
        Load more
      </button>
    </div>
  );
};
