import type { InteractiveForm, OutboundMessage } from '../channel-adapter.port.js';
import { isRecord, nonEmptyString } from '../json-values.js';
import { GraphApiMessageSender, type GraphApiSettings, graphApiUrl } from '../meta/graph-api.js';
import { cutToLength, shownLabels, textWithNumberedChoices } from '../outbound-text.js';

export interface WhatsAppSendConfig extends GraphApiSettings {
  /** The business phone number's id (not the number itself): the path of the messages endpoint. */
  phoneNumberId: string;
  accessToken: string;
}

// The Cloud API's limits: longer texts are refused with a 4xx, so they are cut before sending.
export const WHATSAPP_TEXT_MAX_LENGTH = 4096;
const INTERACTIVE_BODY_MAX_LENGTH = 1024;
const REPLY_BUTTON_TITLE_MAX_LENGTH = 20;
const LIST_ROW_TITLE_MAX_LENGTH = 24;
const MAX_REPLY_BUTTONS = 3;
const MAX_LIST_ROWS = 10;

/** 1–3 choices as reply buttons, 4–10 as a list. */
export const WHATSAPP_INTERACTIVE_FORMS: readonly InteractiveForm[] = [
  { form: 'reply_buttons', maxChoices: MAX_REPLY_BUTTONS, maxLabelLength: REPLY_BUTTON_TITLE_MAX_LENGTH },
  { form: 'list', maxChoices: MAX_LIST_ROWS, maxLabelLength: LIST_ROW_TITLE_MAX_LENGTH },
];

const LIST_BUTTON_LABEL = 'Choose';
const LIST_SECTION_TITLE = 'Options';

/**
 * The Cloud API request body for a message: plain text; 1–3 choices as reply buttons; 4–10 as a
 * list. As text with the options written out as numbered lines (the customer answers with a
 * number or a label): more choices than the list holds, a question longer than an interactive
 * message's body (1,024), which would be cut, or labels that would look alike once cut.
 * A button's or row's id is the choice's value, which the customer's reply then carries back.
 */
export function whatsAppMessageBody(message: OutboundMessage): object {
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to };
  const choices = message.choices ?? [];
  const asButtons = choices.length <= MAX_REPLY_BUTTONS;
  const fitsInteractive =
    choices.length > 0 && choices.length <= MAX_LIST_ROWS && Array.from(message.text).length <= INTERACTIVE_BODY_MAX_LENGTH;
  const titles = fitsInteractive ? shownLabels(choices, asButtons ? REPLY_BUTTON_TITLE_MAX_LENGTH : LIST_ROW_TITLE_MAX_LENGTH) : undefined;

  if (titles === undefined) {
    const body = choices.length === 0 ? message.text : textWithNumberedChoices(message.text, choices);
    return { ...envelope, type: 'text', text: { body: cutToLength(body, WHATSAPP_TEXT_MAX_LENGTH) } };
  }

  const body = { text: message.text };
  if (asButtons) {
    const buttons = choices.map((choice, index) => ({ type: 'reply', reply: { id: choice.value, title: titles[index] } }));
    return { ...envelope, type: 'interactive', interactive: { type: 'button', body, action: { buttons } } };
  }

  const rows = choices.map((choice, index) => ({ id: choice.value, title: titles[index] }));
  return {
    ...envelope,
    type: 'interactive',
    interactive: {
      type: 'list',
      body,
      action: { button: LIST_BUTTON_LABEL, sections: [{ title: LIST_SECTION_TITLE, rows }] },
    },
  };
}

const sentMessageId = (answer: unknown): string | undefined => {
  if (!isRecord(answer) || !Array.isArray(answer.messages)) return undefined;
  const [first] = answer.messages as unknown[];
  return isRecord(first) ? nonEmptyString(first.id) : undefined;
};

/** Sends messages through the WhatsApp Cloud API's `/{phone-number-id}/messages` endpoint. */
export class WhatsAppClient extends GraphApiMessageSender {
  constructor(config: WhatsAppSendConfig, fetchImpl: typeof fetch = fetch) {
    super(
      {
        apiName: 'the WhatsApp Cloud API',
        url: graphApiUrl(config, config.phoneNumberId, 'messages'),
        accessToken: config.accessToken,
        timeoutMs: config.timeoutMs,
        messageBody: whatsAppMessageBody,
        sentMessageId,
        sentMessageIdName: 'a message id (messages[0].id)',
      },
      fetchImpl,
    );
  }
}
