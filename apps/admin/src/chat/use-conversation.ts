import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, retryAfterMsAsked } from '../api/api-client.js';
import { describeError } from '../ui/errors.js';
import { type ChatMessage, type TranscriptPage, webchatApi } from './webchat-api.js';
import { randomId } from '../ui/random-id.js';

export type ConversationPhase = 'loading' | 'ready' | 'unavailable';

export interface Conversation {
  phase: ConversationPhase;
  /** The transcript as far as it is known, oldest first. */
  messages: ChatMessage[];
  /** Texts on their way to the server. */
  sending: { key: string; text: string }[];
  /** Why the conversation is not up to date right now (it keeps trying), or null. */
  problem: string | null;
  hasEarlier: boolean;
  /** Reads the page before the oldest message shown; resolves to why it could not, or null. */
  loadEarlier(): Promise<string | null>;
  /** Sends a message; resolves to why it was not sent, or null once the server has it. */
  send(text: string): Promise<string | null>;
}

const MAX_RETRY_DELAY_MS = 15_000;
/** Backs off after each failure in a row, and never retries sooner than the server asked (a 429's Retry-After). */
const retryDelay = (failures: number, error: unknown) =>
  Math.max(Math.min(1000 * 2 ** (failures - 1), MAX_RETRY_DELAY_MS), retryAfterMsAsked(error));

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/** Whether the page is shown: a hidden page stops waiting for replies and catches up when shown again. */
const usePageVisible = (): boolean => {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
};

/**
 * One visitor's web chat conversation: loads the newest page of the transcript, then keeps one long
 * poll open (`waitFor` the newest message known) so replies — and later bot messages, from timers
 * or hand-offs — show as they are recorded, without polling on a timer.
 */
export const useConversation = (channelId: string, contactId: string): Conversation => {
  const api = useMemo(() => webchatApi(channelId, contactId), [channelId, contactId]);
  const visible = usePageVisible();
  const [phase, setPhase] = useState<ConversationPhase>('loading');
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [sending, setSending] = useState<{ key: string; text: string }[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<string | null>(null);
  const known = useRef(new Set<string>());
  /** The newest message of the transcript known here: the long poll waits for what follows it. */
  const newest = useRef<string | null>(null);
  /** Whether the newest page must be (re)read before waiting: at first, after a failure, and after the conversation was lost track of. */
  const needsNewestPage = useRef(true);
  /** Whether the first page is in: later reads of the newest page only fill gaps, the start of the history stays. */
  const hasFirstPage = useRef(false);
  /** Wakes the loop when a message is sent: from waiting for the first message, or before its next retry. */
  const wake = useRef<() => void>(() => undefined);

  const unseen = (items: ChatMessage[]): ChatMessage[] => {
    const fresh = items.filter((message) => !known.current.has(message.id));
    for (const message of fresh) known.current.add(message.id);
    return fresh;
  };

  const append = (page: TranscriptPage) => {
    const fresh = unseen(page.items);
    if (page.items.length > 0) newest.current = page.items[page.items.length - 1].id;
    if (fresh.length > 0) setMessages((current) => [...current, ...fresh]);
  };

  useEffect(() => {
    if (!visible) return;
    const controller = new AbortController();
    const { signal } = controller;
    /** Resolves after `ms` (never, when null), when woken, or when the loop stops. */
    const pause = (ms: number | null) =>
      new Promise<void>((resolve) => {
        wake.current = resolve;
        const timer = ms === null ? undefined : setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    const follow = async () => {
      let failures = 0;
      while (!signal.aborted) {
        try {
          if (needsNewestPage.current) {
            const page = await api.transcript({ newest: true }, signal);
            append(page);
            if (!hasFirstPage.current) setEarlier(page.previous);
            hasFirstPage.current = true;
            needsNewestPage.current = false;
            setPhase('ready');
          } else if (newest.current === null) {
            await pause(null);
          } else {
            append(await api.transcript({ waitFor: newest.current }, signal));
          }
          failures = 0;
          setProblem(null);
        } catch (error) {
          if (signal.aborted) return;
          // A 404 of the newest page: the channel is gone (of a long poll: the message waited for is unknown).
          if (isNotFound(error) && needsNewestPage.current) {
            setPhase('unavailable');
            return;
          }
          // The newest page answers at once, where a long poll would only once its wait is up: so the
          // problem clears as soon as the server answers again, and what came meanwhile shows.
          needsNewestPage.current = true;
          failures += 1;
          setProblem(describeError(error));
          await pause(retryDelay(failures, error));
        }
      }
    };
    void follow();
    return () => controller.abort();
  }, [api, visible]);

  const loadEarlier = useCallback(async (): Promise<string | null> => {
    if (earlier === null) return null;
    try {
      const page = await api.transcript({ before: earlier });
      const fresh = unseen(page.items);
      setMessages((current) => [...fresh, ...current]);
      setEarlier(page.previous);
      return null;
    } catch (error) {
      return describeError(error);
    }
  }, [api, earlier]);

  const send = useCallback(
    async (text: string): Promise<string | null> => {
      const key = randomId();
      setSending((current) => [...current, { key, text }]);
      try {
        const sent: ChatMessage = { id: await api.send(text), direction: 'inbound', text, at: new Date().toISOString() };
        // The long poll may have brought it back already (with its reply); otherwise it is the newest now.
        if (unseen([sent]).length > 0) {
          newest.current = sent.id;
          setMessages((current) => [...current, sent]);
        }
        // The server answered: a loop waiting to retry asks again now.
        setProblem(null);
        wake.current();
        return null;
      } catch (error) {
        if (isNotFound(error)) setPhase('unavailable');
        return describeError(error);
      } finally {
        setSending((current) => current.filter((message) => message.key !== key));
      }
    },
    [api],
  );

  return { phase, messages, sending, problem, hasEarlier: earlier !== null, loadEarlier, send };
};
