import { type FormEvent, type Ref, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useRouter } from '../routing/router.js';
import { contactIdFor } from './contact-id.js';
import { useConversation } from './use-conversation.js';
import type { ChatMessage } from './webchat-api.js';
import './chat.css';

const timeOf = (at: string) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

const MessageMeta = ({ from, at, note }: { from: 'You' | 'Bot'; at?: string; note?: string }) => (
  <span className="chat-meta">
    {from}
    {at !== undefined && (
      <>
        {' · '}
        <time dateTime={at} title={new Date(at).toLocaleString()}>
          {timeOf(at)}
        </time>
      </>
    )}
    {note !== undefined && ` · ${note}`}
  </span>
);

/** A message's text, laid out left to right or right to left as its own first strong letter says. */
const MessageText = ({ text }: { text: string }) => (
  <p className="chat-text" dir="auto">
    {text}
  </p>
);

const MessageItem = ({
  message,
  choices,
  ref,
}: {
  message: ChatMessage;
  choices?: { onChoose(label: string): void; disabled: boolean };
  /** Given to the message that may be handed the focus (not reached with Tab). */
  ref?: Ref<HTMLLIElement>;
}) => {
  const fromVisitor = message.direction === 'inbound';
  return (
    <li className={`chat-message ${fromVisitor ? 'from-visitor' : 'from-bot'}`} ref={ref} tabIndex={ref === undefined ? undefined : -1}>
      <MessageText text={message.text} />
      <MessageMeta from={fromVisitor ? 'You' : 'Bot'} at={message.at} />
      {choices !== undefined && message.choices !== undefined && (
        <div className="chat-choices" role="group" aria-label="Choices">
          {message.choices.map((choice, index) => (
            // A question's options keep their order; labels may repeat, so the place is the key.
            <button key={index} type="button" disabled={choices.disabled} onClick={() => choices.onChoose(choice.label)}>
              {choice.label}
            </button>
          ))}
        </div>
      )}
    </li>
  );
};

/** The customer's side of a web chat channel: public, no sign-in, also shown in the embed script's frame. */
const ChatWidget = ({ channelId, contactId }: { channelId: string; contactId: string }) => {
  const conversation = useConversation(channelId, contactId);
  const { phase, messages, sending, problem } = conversation;
  const [draft, setDraft] = useState('');
  const [sendError, setSendError] = useState<string | null>(null);
  const [earlierError, setEarlierError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const inputId = useId();

  const newestKey = sending.at(-1)?.key ?? messages.at(-1)?.id;
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [newestKey]);

  const oldestMessage = useRef<HTMLLIElement>(null);
  /** Set while an earlier page is read: its oldest message then takes the focus, which the button may no longer hold. */
  const showingEarlier = useRef(false);
  const oldestId = messages[0]?.id;
  useEffect(() => {
    if (!showingEarlier.current) return;
    showingEarlier.current = false;
    oldestMessage.current?.focus();
  }, [oldestId]);

  const showEarlier = async () => {
    showingEarlier.current = true;
    const problemLoading = await conversation.loadEarlier();
    if (problemLoading !== null) showingEarlier.current = false;
    setEarlierError(problemLoading);
  };

  // In the embed script's frame, the focus given to the frame goes on to the message box, and
  // Escape asks the embedding page to close the chat.
  useEffect(() => {
    if (window.parent === window) return;
    const focusMessageBox = () => {
      if (document.activeElement === document.body) input.current?.focus();
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      // Any page may embed the chat, so its origin is unknown here; the message tells nothing.
      if (event.key === 'Escape' && !event.isComposing) window.parent.postMessage({ webchat: 'close' }, '*');
    };
    if (document.hasFocus()) focusMessageBox();
    window.addEventListener('focus', focusMessageBox);
    window.addEventListener('keydown', closeOnEscape);
    return () => {
      window.removeEventListener('focus', focusMessageBox);
      window.removeEventListener('keydown', closeOnEscape);
    };
  }, []);

  const send = async (text: string) => {
    setSendError(null);
    const problemSending = await conversation.send(text);
    if (problemSending === null) return;
    // Nothing typed is lost: the text goes back into the box unless something new is there.
    setDraft((current) => (current === '' ? text : current));
    setSendError(problemSending);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    setDraft('');
    void send(text);
  };

  if (phase === 'unavailable') {
    return (
      <main className="chat">
        <header className="chat-header">
          <h1>Chat</h1>
        </header>
        <p className="chat-unavailable" role="alert">
          This chat is not available. The link may be wrong, or the chat was removed.
        </p>
      </main>
    );
  }

  const last = messages.at(-1);
  const question = sending.length === 0 && last?.direction === 'outbound' && last.choices !== undefined ? last : undefined;
  const choose = (label: string) => {
    void send(label);
    input.current?.focus();
  };

  return (
    <main className="chat">
      <header className="chat-header">
        <h1>Chat</h1>
      </header>
      {conversation.hasEarlier && (
        <button type="button" className="chat-earlier" onClick={() => void showEarlier()}>
          Show earlier messages
        </button>
      )}
      {earlierError !== null && (
        <p role="alert" className="chat-error chat-earlier-error">
          The earlier messages could not be read: {earlierError}
        </p>
      )}
      {phase === 'loading' ? (
        // Not the live log yet: it appears with the first page, which is then not read out as news.
        <div className="chat-log" key="loading">
          <p className="chat-hint">Loading the conversation…</p>
        </div>
      ) : (
        <div className="chat-log" key="log" role="log" aria-label="Conversation" ref={log} tabIndex={0}>
          {messages.length === 0 && sending.length === 0 && <p className="chat-hint">Send a message to start the conversation.</p>}
          <ol>
            {messages.map((message, index) => (
              <MessageItem
                key={message.id}
                ref={index === 0 ? oldestMessage : undefined}
                message={message}
                choices={message === question ? { onChoose: choose, disabled: false } : undefined}
              />
            ))}
            {sending.map((message) => (
              <li key={message.key} className="chat-message from-visitor sending">
                <MessageText text={message.text} />
                <MessageMeta from="You" note="Sending…" />
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="chat-notices">
        <p role="status" className="chat-status">
          {problem !== null && `Reconnecting… (${problem})`}
        </p>
        {sendError !== null && (
          <p role="alert" className="chat-error" id={`${inputId}-error`}>
            Your message was not sent: {sendError}
          </p>
        )}
      </div>
      <form className="chat-composer" onSubmit={submit}>
        <label htmlFor={inputId} className="visually-hidden">
          Message
        </label>
        <input
          id={inputId}
          ref={input}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="Type a message"
          dir="auto"
          autoComplete="off"
          maxLength={4096}
          aria-describedby={sendError !== null ? `${inputId}-error` : undefined}
        />
        <button type="submit" className="primary" disabled={draft.trim() === ''}>
          Send
        </button>
      </form>
    </main>
  );
};

export const ChatWidgetPage = ({ channelId }: { channelId: string }) => {
  const { search } = useRouter();
  const given = search.get('contact');
  const contactId = useMemo(() => contactIdFor(channelId, given), [channelId, given]);
  useEffect(() => {
    document.title = 'Chat';
  }, []);
  return <ChatWidget key={`${channelId}/${contactId}`} channelId={channelId} contactId={contactId} />;
};
