import type { InteractiveForm, OutboundMessage } from '../channel-adapter.port.js';
import { isRecord, nonEmptyString } from '../json-values.js';
import { GraphApiMessageSender, type GraphApiSettings, graphApiUrl } from '../meta/graph-api.js';
import { cutToLength, shownLabels, textWithNumberedChoices } from '../outbound-text.js';

export interface MessengerSendConfig extends GraphApiSettings {
  pageAccessToken: string;
}

// Limits of the Messenger Send API.
export const MESSENGER_TEXT_MAX_LENGTH = 2000;
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE_LENGTH = 20;

/** Up to 13 choices as quick replies. */
export const MESSENGER_INTERACTIVE_FORMS: readonly InteractiveForm[] = [
  { form: 'quick_replies', maxChoices: MAX_QUICK_REPLIES, maxLabelLength: MAX_QUICK_REPLY_TITLE_LENGTH },
];

/**
 * The Send API body for a reply. Up to 13 choices become quick replies; more than Messenger can
 * show, or labels that would look alike once cut to a quick reply's title, are listed as numbered
 * lines in the text instead, so none is silently dropped or mistaken for another.
 */
export function messengerMessageBody(message: OutboundMessage): object {
  const choices = message.choices ?? [];
  const titles = choices.length > 0 && choices.length <= MAX_QUICK_REPLIES ? shownLabels(choices, MAX_QUICK_REPLY_TITLE_LENGTH) : undefined;
  const text = choices.length > 0 && titles === undefined ? textWithNumberedChoices(message.text, choices) : message.text;
  return {
    recipient: { id: message.to },
    // RESPONSE: a reply to the customer's message, sent within Messenger's standard messaging window.
    messaging_type: 'RESPONSE',
    message: {
      text: cutToLength(text, MESSENGER_TEXT_MAX_LENGTH),
      ...(titles !== undefined
        ? {
            quick_replies: choices.map((choice, index) => ({ content_type: 'text', title: titles[index], payload: choice.value })),
          }
        : {}),
    },
  };
}

const sentMessageId = (answer: unknown): string | undefined => (isRecord(answer) ? nonEmptyString(answer.message_id) : undefined);

/** Sends through the Messenger Send API (`POST /{version}/me/messages` with a page access token). */
export class MessengerClient extends GraphApiMessageSender {
  constructor(config: MessengerSendConfig, fetchImpl: typeof fetch = fetch) {
    super(
      {
        apiName: 'the Messenger Send API',
        url: graphApiUrl(config, 'me', 'messages'),
        accessToken: config.pageAccessToken,
        timeoutMs: config.timeoutMs,
        messageBody: messengerMessageBody,
        sentMessageId,
        sentMessageIdName: 'a message_id',
      },
      fetchImpl,
    );
  }
}
