import { createHmac, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api } from './test-server.js';

export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: any;
}

/** How the stand-in answers one request: a status and a JSON body (or none). */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
}

/**
 * Meta's Graph API on loopback: records every send and answers as scripted, else with 200 and a
 * fresh message id (`wamid.…` for WhatsApp, `m_…` for Messenger).
 */
export class GraphApiStandIn {
  readonly requests: GraphRequest[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private readonly server: Server = createServer((request, response) => this.answer(request, response));

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  /** The next requests get these answers, in order. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** The texts sent to `to`, in order of arrival (a retried message appears once per attempt). */
  textsTo(to: string): string[] {
    return this.requests
      .filter((request) => request.body?.to === to || request.body?.recipient?.id === to)
      .map((request) => request.body.text?.body ?? request.body.interactive?.body?.text ?? request.body.message?.text);
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(raw);
      this.requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
      const scripted = this.script.shift();
      const isWhatsApp = body.messaging_product === 'whatsapp';
      const success = isWhatsApp
        ? { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${randomUUID()}` }] }
        : { recipient_id: body.recipient?.id, message_id: `m_${randomUUID()}` };
      const { status, body: answer } = scripted ?? { status: 200, body: success };
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(answer === undefined ? '' : JSON.stringify(answer));
    });
  }
}

/** Posts a webhook delivery as Meta does: the JSON body signed with the app secret. */
export async function postWebhook(
  api: Api,
  channelType: 'whatsapp' | 'messenger',
  channelId: string,
  payload: unknown,
  appSecret: string | undefined,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  const rawBody = JSON.stringify(payload);
  const headers: Record<string, string> = { ...extraHeaders };
  if (appSecret !== undefined) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return (await api.request('POST', `/webhooks/${channelType}/${channelId}`, { rawBody, headers, token: null })).status;
}

/**
 * A WhatsApp Cloud API webhook delivery, shaped like Meta's documentation example: one entry with
 * one `messages` change holding `value`.
 */
const whatsAppDelivery = (value: object) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            ...value,
          },
          field: 'messages',
        },
      ],
    },
  ],
});

/** A WhatsApp delivery of one text message. */
export const whatsAppText = (from: string, name: string, wamid: string, text: string) =>
  whatsAppDelivery({
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: wamid, timestamp: '1603059201', text: { body: text }, type: 'text' }],
  });

/** A WhatsApp reply-button choice. */
export const whatsAppButtonReply = (from: string, wamid: string, id: string, title: string) =>
  whatsAppDelivery({
    contacts: [{ profile: { name: 'Ada' }, wa_id: from }],
    messages: [
      {
        context: { from: '15550783881', id: 'wamid.context' },
        from,
        id: wamid,
        timestamp: '1603059301',
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id, title } },
      },
    ],
  });

/** A WhatsApp status-only delivery: a receipt, not a message. */
export const whatsAppStatus = (recipient: string, wamid: string, status: string) =>
  whatsAppDelivery({ statuses: [{ id: wamid, status, timestamp: '1603086313', recipient_id: recipient }] });

/** A Messenger delivery of one messaging event from `psid` to the page. */
export const messengerEvent = (pageId: string, psid: string, event: object) => ({
  object: 'page',
  entry: [
    {
      id: pageId,
      time: 1458692752478,
      messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: 1458692752478, ...event }],
    },
  ],
});
