import { createContext, useContext, useEffect } from 'react';

/** Sets what a page with a name of its own shows before its title (a workflow's name); the console provides it. */
export const PageDetailContext = createContext<(detail: string | undefined) => void>(() => undefined);

/**
 * Puts `detail` before the page's own title in the tab (`Sales · Workflow editor · Workflows`), so
 * that two editors open in two tabs can be told apart; undefined while it is not known yet.
 */
export const usePageDetail = (detail: string | undefined) => {
  const setDetail = useContext(PageDetailContext);
  useEffect(() => {
    setDetail(detail);
    return () => setDetail(undefined);
  }, [setDetail, detail]);
};

/** The tab's title: the page's title, after its detail and before the console's name. */
export const usePageTitle = (title: string, detail: string | undefined) => {
  useEffect(() => {
    const named = detail === undefined ? title : `${detail} · ${title}`;
    document.title = named === 'Workflows' ? named : `${named} · Workflows`;
  }, [title, detail]);
};
