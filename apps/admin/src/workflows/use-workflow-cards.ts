import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { followEventStream, type StreamStatus } from '../api/event-stream.js';
import { useSignedIn } from '../auth/auth-context.js';
import { liveCardEvent, type WorkflowCard } from './workflow-card-stream.js';

const PAGE_SIZE = 50;
/** The API's largest page: reloading after a reconnection fetches what was loaded in one go. */
const MAX_PAGE_SIZE = 1000;

interface Listing {
  cards: WorkflowCard[];
  nextCursor?: string;
}

/** The API's order: newest first by `createdAt`, then by id, both descending. */
const newestFirst = (a: WorkflowCard, b: WorkflowCard): number => {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
};

/**
 * The loaded pages of cards, kept current by the live stream. The stream sends every card of the
 * workspace; a card it sends that is not loaded is shown only when it falls within the loaded
 * pages (a new workflow sorts first), so the rest still waits for "Load more". The stream's copy of
 * a card wins over the page's: it is followed by every later change, a page is not.
 */
export const useWorkflowCards = () => {
  const { api } = useSignedIn();
  const [listing, setListing] = useState<Listing | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [refusal, setRefusal] = useState<string | null>(null);
  const live = useRef(new Map<string, WorkflowCard>());
  const removed = useRef(new Set<string>());
  const [liveChanges, setLiveChanges] = useState(0);
  // Answers to a superseded request (a reload after reconnecting) are dropped.
  const generation = useRef(0);
  const loadedCount = useRef(0);
  loadedCount.current = listing?.cards.length ?? 0;

  const fetchPage = useCallback(
    (limit: number, cursor?: string) => api.GET('/workflows', { params: { query: { limit, cursor } } }).then(dataOf),
    [api],
  );

  const reload = useCallback(async () => {
    const asked = ++generation.current;
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, loadedCount.current));
    try {
      const page = await fetchPage(limit);
      if (asked !== generation.current) return;
      setListing({ cards: page.items, nextCursor: page.nextCursor });
      setListError(null);
    } catch (error) {
      if (asked === generation.current) setListError(error);
    }
  }, [fetchPage]);

  const loadMore = useCallback(async () => {
    if (listing?.nextCursor === undefined || loadingMore) return;
    const asked = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchPage(PAGE_SIZE, listing.nextCursor);
      if (asked !== generation.current) return;
      setListing({ cards: [...listing.cards, ...page.items], nextCursor: page.nextCursor });
      setListError(null);
    } catch (error) {
      if (asked === generation.current) setListError(error);
    } finally {
      setLoadingMore(false);
    }
  }, [fetchPage, listing, loadingMore]);

  useEffect(() => {
    void reload();
    let opened = false;
    const open = (signal: AbortSignal) =>
      api.GET('/workflows/live', { parseAs: 'stream', headers: { accept: 'text/event-stream' }, signal }).then(dataOf);
    const stop = followEventStream(open, {
      onOpen: () => {
        // The new connection sends every card again; one deleted while away is simply not among them.
        live.current.clear();
        setLiveChanges((count) => count + 1);
        if (opened) void reload();
        opened = true;
      },
      onMessage: (message) => {
        const change = liveCardEvent(message);
        if (change === null) return;
        if (change.event === 'card') live.current.set(change.data.id, change.data);
        else {
          live.current.delete(change.data.id);
          removed.current.add(change.data.id);
        }
        setLiveChanges((count) => count + 1);
      },
      onStatus: setStatus,
      onRefused: (statusCode, message) => {
        // A refused token has signed the user out already: the client does on every 401.
        if (statusCode !== 401) setRefusal(`Live updates are unavailable: ${message}`);
      },
    });
    return stop;
  }, [api, reload]);

  const cards = useMemo(() => {
    if (listing === null) return null;
    const last = listing.nextCursor === undefined ? undefined : listing.cards[listing.cards.length - 1];
    const shown = new Map<string, WorkflowCard>();
    for (const card of listing.cards) shown.set(card.id, live.current.get(card.id) ?? card);
    for (const card of live.current.values()) {
      if (!shown.has(card.id) && (last === undefined || newestFirst(card, last) < 0)) shown.set(card.id, card);
    }
    return [...shown.values()].filter((card) => !removed.current.has(card.id)).sort(newestFirst);
    // liveChanges counts the changes to the live refs, which are read here.
  }, [listing, liveChanges]);

  /** Drops a card at once after its deletion succeeded, before the stream says so. */
  const forget = useCallback((id: string) => {
    removed.current.add(id);
    setLiveChanges((count) => count + 1);
  }, []);

  return {
    cards,
    hasMore: listing?.nextCursor !== undefined,
    loadMore,
    loadingMore,
    listError,
    status,
    refusal,
    forget,
  };
};
