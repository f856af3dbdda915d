/**
 * The facts of a conversation stream `conversation-<channelId>-<contactId>`: every message one
 * contact sent on one channel, in the order the channel delivered them, and where each went. The
 * stream's order is the order in which a contact's messages are applied to sessions.
 */
export interface MessageReceived {
  type: 'MessageReceived';
  /** `messageId` is unique per channel: the channel's own id of the message, or one given on arrival. */
  data: {
    channelId: string;
    contactId: string;
    contactName?: string;
    messageId: string;
    text: string;
    receivedAt: string;
  };
}

/** The message went to `sessionId`: to the contact's active session, or to one it started. */
export interface MessageRoutedToSession {
  type: 'MessageRoutedToSession';
  data: {
    channelId: string;
    contactId: string;
    messageId: string;
    sessionId: string;
    workflowId: string;
    startsSession: boolean;
  };
}

/** No workflow was assigned to the channel: the message stays recorded and gets no automated answer. */
export interface MessageNotRouted {
  type: 'MessageNotRouted';
  data: { channelId: string; contactId: string; messageId: string; reason: 'no_workflow' };
}

/**
 * The message would have started a session of `workflowId`, but its channel already had
 * `maxOpenSessions` open (the engine counted `openSessions`): the message stays recorded and gets
 * no automated answer, and no session, timer or outbox is created for it. The contact's next
 * message is routed afresh.
 */
export interface SessionRefused {
  type: 'SessionRefused';
  data: {
    channelId: string;
    contactId: string;
    messageId: string;
    workflowId: string;
    reason: 'channel_session_cap';
    openSessions: number;
    maxOpenSessions: number;
  };
}

export type ConversationEvent = MessageReceived | MessageRoutedToSession | MessageNotRouted | SessionRefused;

export const conversationStreamName = (channelId: string, contactId: string): string => `conversation-${channelId}-${contactId}`;
