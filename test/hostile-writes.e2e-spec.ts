import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ANSWER_TYPES, CONDITION_OPERATORS, MAX_QUOTED_LENGTH, STEP_TYPES } from '#domain';
import { RATE_LIMITS_OFF } from '#platform';
import { TOPIC_CHOICE_FLOW, Visitor, eventsOfType, eventually, flowOnWebchat } from './support/conversations.js';
import { GraphApiStandIn } from './support/graph-api-stand-in.js';
import {
  type HostileBody,
  hostileBearer,
  hostileBody,
  hostileEmptyBody,
  hostileId,
  hostileString,
  hostileValue,
  JsonFields,
  nearValid,
  sometimes,
  stringsIn,
} from './support/hostile-input.js';
import { StoreWatch } from './support/store-watch.js';
import { inProcessServerForSuite } from './support/suite-server.js';
import { type Api, checkedAnswer, closedPort } from './support/test-server.js';

/**
 * Every write endpoint, the webhooks and the API channel, fed what an attacker or a broken client
 * sends. Each answer must be below 500, a refusal must be Nest's error body without the input
 * repeated at length, and a refused request must leave both stores exactly as they were.
 * FUZZ_SEED replays another sequence; a failure prints the seed and the shrunk request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_130_513);
const RUNS_PER_ENDPOINT = 100;
/** The number and the page of the fixtures' Meta channels: what their deliveries are mostly addressed to. */
const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '1067280970047460';
/** The flow definition has the most rules to get past, one inside the other: it gets more runs. */
const runsOf = (endpoint: string) => (endpoint === 'PUT /workflows/:id/definition' ? 300 : RUNS_PER_ENDPOINT);

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: HostileBody;
  /** Every fuzzed string in the request (path, headers, body): a long one must not come back in an error. */
  strings: string[];
}

/** The Authorization header to send (none when undefined), and what in it was fuzzed. */
interface Authorization {
  header: string | undefined;
  strings: string[];
}

interface Answer {
  status: number;
  body: unknown;
}

/** The request exactly as generated: fetch adds no content type of its own to bytes. */
async function send(api: Api, { method, path, headers, body }: HostileRequest): Promise<Answer> {
  const bytes = typeof body.bytes === 'string' ? Buffer.from(body.bytes) : body.bytes;
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body.contentType === undefined ? {} : { 'content-type': body.contentType }) },
    body: bytes,
  });
  // Held to the OpenAPI document like every other answer of the suites.
  return checkedAnswer(method, path, response);
}

/** What the generators aim at: real resources of every kind, so that requests get past the 404. */
interface Fixtures {
  admin: string;
  /** The flow customers talk to, on every channel below. */
  flowWorkflowId: string;
  webchatChannelId: string;
  whatsApp: { channelId: string; appSecret: string };
  messenger: { channelId: string; appSecret: string };
  /** Pulled from (no callbackUrl); `outboxMessageIds` were waiting in its outbox at the start. */
  apiChannel: { channelId: string; secret: string; outboxMessageIds: string[] };
  /** Pushes to a callbackUrl: it has no outbox. */
  pushedApiChannelId: string;
  /** Renamed, republished, copied, tried and deactivated by the fuzz; nobody talks to it. */
  editedWorkflowId: string;
  deletedWorkflowId: string;
  /** Fresh workflows for the delete endpoint to take. */
  doomedWorkflowIds: string[];
  /** Assigned and unassigned by the fuzz; nobody talks to it. */
  assignedChannelId: string;
  /** Tokens that must not get an admin through. */
  otherTokens: string[];
}

async function arrange(api: Api, graphUrl: string): Promise<Fixtures> {
  const created = async (path: string, body: unknown): Promise<string> => {
    const answer = await api.request('POST', path, { body });
    if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  };
  const { workflowId: flowWorkflowId, channelId: webchatChannelId } = await flowOnWebchat(api, TOPIC_CHOICE_FLOW);
  const withFlow = async (type: string, config: Record<string, string>): Promise<string> => {
    const channelId = await created('/channels', { type, name: `${type} channel`, config });
    await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: flowWorkflowId } });
    return channelId;
  };
  const graph = { apiBaseUrl: graphUrl, apiVersion: 'v21.0', verifyToken: `verify-${randomUUID()}` };
  const whatsAppSecret = `app-${randomUUID()}`;
  const whatsAppChannelId = await withFlow('whatsapp', {
    ...graph,
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: `EAAG-${randomUUID()}`,
    appSecret: whatsAppSecret,
  });
  const messengerSecret = `app-${randomUUID()}`;
  const messengerChannelId = await withFlow('messenger', {
    ...graph,
    pageId: PAGE_ID,
    pageAccessToken: `EAAG-${randomUUID()}`,
    appSecret: messengerSecret,
  });
  const apiSecret = `api-channel-secret-${randomUUID()}`;
  const apiChannelId = await withFlow('api', { secret: apiSecret });
  await api.request('POST', `/channels/${apiChannelId}/api/messages`, {
    body: { contactId: 'sms:+4915100000001', text: 'Hello', externalId: 'first-message' },
    token: apiSecret,
  });
  const outbox = await eventually(
    () => api.request('GET', `/channels/${apiChannelId}/api/outbox`, { token: apiSecret }),
    (answer) => answer.body.items?.length >= 2,
  );
  const pushedApiChannelId = await created('/channels', {
    type: 'api',
    name: 'pushed',
    config: { secret: `api-channel-secret-${randomUUID()}`, callbackUrl: `http://127.0.0.1:${await closedPort()}/hook` },
  });
  const deletedWorkflowId = await created('/workflows', { name: 'Deleted' });
  await api.request('DELETE', `/workflows/${deletedWorkflowId}`);
  const doomedWorkflowIds: string[] = [];
  for (let index = 0; index < 8; index++) doomedWorkflowIds.push(await created('/workflows', { name: `Doomed ${index}` }));
  return {
    admin: api.token(),
    flowWorkflowId,
    webchatChannelId,
    whatsApp: { channelId: whatsAppChannelId, appSecret: whatsAppSecret },
    messenger: { channelId: messengerChannelId, appSecret: messengerSecret },
    apiChannel: {
      channelId: apiChannelId,
      secret: apiSecret,
      outboxMessageIds: (outbox.body.items as { messageId: string }[]).map(({ messageId }) => messageId),
    },
    pushedApiChannelId,
    editedWorkflowId: await created('/workflows', { name: 'Edited' }),
    deletedWorkflowId,
    doomedWorkflowIds,
    assignedChannelId: await created('/channels', { type: 'webchat', name: 'Assigned' }),
    otherTokens: [api.token('auditor'), api.token('admin', undefined, 'admin-user', -60), api.token('admin', 'elsewhere')],
  };
}

/** Mostly the admin; sometimes no token, a token that must not do, or a bearer value that is no token. */
const adminAuthorization = (fixtures: Fixtures): fc.Arbitrary<Authorization> =>
  fc.oneof(
    { weight: 24, arbitrary: fc.constant<Authorization>({ header: `Bearer ${fixtures.admin}`, strings: [] }) },
    { weight: 3, arbitrary: fc.constantFrom(...fixtures.otherTokens).map((token) => ({ header: `Bearer ${token}`, strings: [] })) },
    { weight: 1, arbitrary: fc.constant<Authorization>({ header: undefined, strings: [] }) },
    { weight: 1, arbitrary: hostileBearer.map((value) => ({ header: `Bearer ${value}`, strings: [value] })) },
    { weight: 1, arbitrary: fc.constant<Authorization>({ header: `Basic ${Buffer.from('admin:admin').toString('base64')}`, strings: [] }) },
  );

const request = (
  method: string,
  path: string,
  body: HostileBody,
  authorization: Authorization,
  strings: string[] = [],
  headers: Record<string, string> = {},
): HostileRequest => ({
  method,
  path,
  headers: { ...headers, ...(authorization.header === undefined ? {} : { authorization: authorization.header }) },
  body,
  strings: [...strings, ...authorization.strings, ...body.strings],
});

const validName = fc.oneof(fc.string({ minLength: 1, maxLength: 120 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }));
const nameBody = nearValid({ name: validName });

// ---- Flow definitions: valid flows, and flows of near-valid steps whose targets may resolve, point past the flow or loop ----

const MAX_FLOW_LENGTH = 6;
/** The ids steps get (`s0`, `s1`, … by position), so a target may name a step, a step further than the flow, or none. */
const stepTarget = fc.integer({ min: 0, max: MAX_FLOW_LENGTH }).map((index) => `s${index}`);
const stepText = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('Hi {{contact.name}}!', '{{topic}}', '{{', '}}') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(4097), ' ', '') },
);
const variableName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const seconds = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 2_592_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2_592_001, 1.5) },
);
/** Each step type's fields, valid (mostly); nearValid makes them hostile or absent now and then, unless `hostility` is 0. */
const stepFields = (hostility: number): Record<(typeof STEP_TYPES)[number], Record<string, fc.Arbitrary<unknown>>> => ({
  send_message: { text: stepText, next: sometimes(stepTarget) },
  ask_question: {
    text: stepText,
    variable: variableName,
    answerType: sometimes(fc.constantFrom(...ANSWER_TYPES)),
    options: sometimes(
      fc.array(nearValid({ label: stepText, value: sometimes(stepText), next: sometimes(stepTarget) }, hostility), { maxLength: 11 }),
    ),
    retryText: sometimes(stepText),
    maxRetries: sometimes(fc.integer({ min: -1, max: 11 })),
    invalidNext: sometimes(stepTarget),
    timeoutSeconds: sometimes(seconds),
    timeoutNext: sometimes(stepTarget),
    next: sometimes(stepTarget),
  },
  branch: {
    branches: fc.array(
      nearValid(
        {
          condition: nearValid(
            { variable: variableName, op: fc.constantFrom(...CONDITION_OPERATORS), value: sometimes(stepText) },
            hostility,
          ),
          next: stepTarget,
        },
        hostility,
      ),
      { maxLength: 21 },
    ),
    elseNext: stepTarget,
  },
  route_to_team: { team: stepText, note: sometimes(stepText) },
  invoke_ai_agent: {
    instructions: stepText,
    handoffTeam: stepText,
    maxTurns: sometimes(fc.integer({ min: 0, max: 51 })),
    next: sometimes(stepTarget),
  },
  wait: { seconds, next: sometimes(stepTarget) },
  end: {},
});
/** Steps of every type: most of them with every part valid, so that whole flows get through and their rules are checked. */
const stepOfType = fc.oneof(
  ...[0, 2].flatMap((hostility) =>
    STEP_TYPES.map((type) => ({
      weight: hostility === 0 ? 3 : 1,
      arbitrary: nearValid({ type: fc.constant(type), ...stepFields(hostility)[type] }, hostility),
    })),
  ),
);
/** A step's id: its own (mostly), the first step's again, or something hostile. */
const ownId = Symbol('own id');
const stepId = fc.oneof(
  { weight: 16, arbitrary: fc.constant(ownId) },
  { weight: 1, arbitrary: fc.constant('s0') },
  { weight: 1, arbitrary: hostileValue },
);
const flow = (minLength: number, maxLength: number) =>
  fc
    .array(fc.tuple(stepId, stepOfType), { minLength, maxLength })
    .map((steps) => steps.map(([id, step], index) => new JsonFields([['id', id === ownId ? `s${index}` : id], ...step.fields])));
/** A flow that is valid as it stands: steps that need no target, each following the one before. */
const plainText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.!?{}]{0,30}$/);
const validFlow = fc
  .array(
    fc.oneof(
      fc.record({ type: fc.constant('send_message'), text: plainText }),
      fc.record({
        type: fc.constant('ask_question'),
        text: plainText,
        variable: variableName,
        answerType: fc.constantFrom('text', 'number', 'email'),
      }),
      fc.record({ type: fc.constant('wait'), seconds: fc.integer({ min: 1, max: 2_592_000 }) }),
      fc.record({ type: fc.constant('route_to_team'), team: plainText }),
      fc.record({ type: fc.constant('end') }),
    ),
    { minLength: 1, maxLength: MAX_FLOW_LENGTH },
  )
  .map((steps) => steps.map((step, index) => ({ id: `s${index}`, ...step })));
const definitionBody = nearValid({
  steps: fc.oneof(
    { weight: 8, arbitrary: validFlow },
    { weight: 12, arbitrary: flow(1, MAX_FLOW_LENGTH) },
    { weight: 1, arbitrary: flow(0, 0) },
    { weight: 1, arbitrary: flow(501, 501) },
  ),
  settings: sometimes(nearValid({ sessionTimeoutSeconds: sometimes(seconds) })),
  expectedVersion: sometimes(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(2 ** 31))),
});

// ---- Channels ----

/** Valid values (mostly) and the near misses a client makes. */
const mostly = (valid: fc.Arbitrary<unknown>, ...nearMisses: unknown[]) =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...nearMisses) });
const token = mostly(fc.stringMatching(/^[\x21-\x7e]{32,64}$/), 'short', 'with space in it that is long enough to pass', '');
const graphId = mostly(fc.stringMatching(/^\d{1,32}$/), '0x10', '1e5', '-1', '');
const url = mostly(fc.webUrl({ withQueryParameters: true }), 'ftp://example.com/hook', 'https://example.com/#fragment', 'not a url');
const graphSettings = { apiVersion: sometimes(mostly(fc.constant('v21.0'), 'v1', '21.0')), apiBaseUrl: sometimes(url) };
const channelBody = fc.oneof(
  nearValid({ type: fc.constant('webchat'), name: validName, config: sometimes(nearValid({})) }),
  nearValid({
    type: fc.constant('whatsapp'),
    name: validName,
    config: nearValid({ phoneNumberId: graphId, accessToken: token, appSecret: token, verifyToken: token, ...graphSettings }),
  }),
  nearValid({
    type: fc.constant('messenger'),
    name: validName,
    config: nearValid({ pageId: graphId, pageAccessToken: token, appSecret: token, verifyToken: token, ...graphSettings }),
  }),
  nearValid({
    type: mostly(fc.constant('api'), 'sms', 'API'),
    name: validName,
    config: nearValid({ secret: token, callbackUrl: sometimes(url) }),
  }),
);

// ---- Customers' messages: web chat, Meta's webhooks, the API channel ----

const contactId = fc.oneof(
  fc.constantFrom('visitor-1', 'visitor-2', 'sms:+4915100000001'),
  fc.stringMatching(/^[A-Za-z0-9_.:@+-]{1,128}$/),
);
const customerText = fc.oneof(fc.constantFrom('Hello', 'orders', 'returns'), fc.string({ minLength: 1, maxLength: 100 }));
const messageId = fc.oneof(fc.uuid(), fc.stringMatching(/^[\x21-\x7e]{1,256}$/));
const phone = fc.oneof(fc.constantFrom('16505551234', '16505550000'), fc.stringMatching(/^\d{6,15}$/), hostileString);
const unixSeconds = fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }).map(String), fc.integer(), hostileString);

/** WhatsApp Cloud API deliveries: texts, button and list replies, statuses; each part near-valid, or valid throughout when `hostility` is 0. */
const whatsAppDeliveryOf = (hostility: number) =>
  nearValid(
    {
      object: fc.constant('whatsapp_business_account'),
      entry: fc.array(
        nearValid(
          {
            id: graphId,
            changes: fc.array(
              nearValid(
                {
                  field: mostly(fc.constant('messages'), 'statuses'),
                  value: nearValid(
                    {
                      messaging_product: fc.constant('whatsapp'),
                      metadata: sometimes(
                        nearValid({ phone_number_id: mostly(fc.constant(PHONE_NUMBER_ID), '106540352249999') }, hostility),
                      ),
                      contacts: fc.array(
                        nearValid({ profile: nearValid({ name: fc.oneof(validName, hostileString) }, hostility), wa_id: phone }, hostility),
                        { maxLength: 2 },
                      ),
                      messages: fc.array(
                        nearValid(
                          {
                            from: phone,
                            id: messageId,
                            timestamp: unixSeconds,
                            type: mostly(fc.constantFrom('text', 'interactive', 'button'), 'image', 'reaction'),
                            text: nearValid({ body: fc.oneof(customerText, hostileString) }, hostility),
                            interactive: nearValid(
                              {
                                type: fc.constantFrom('button_reply', 'list_reply'),
                                button_reply: nearValid({ id: customerText, title: customerText }, hostility),
                                list_reply: nearValid({ id: customerText, title: customerText }, hostility),
                              },
                              hostility,
                            ),
                            button: nearValid({ payload: customerText, text: customerText }, hostility),
                          },
                          hostility,
                        ),
                        { maxLength: 3 },
                      ),
                      statuses: fc.array(
                        nearValid(
                          {
                            id: messageId,
                            status: fc.constantFrom('sent', 'delivered', 'read', 'failed'),
                            timestamp: unixSeconds,
                            recipient_id: phone,
                          },
                          hostility,
                        ),
                        { maxLength: 2 },
                      ),
                    },
                    hostility,
                  ),
                },
                hostility,
              ),
              { minLength: 1, maxLength: 2 },
            ),
          },
          hostility,
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
    hostility,
  );

const epochMs = fc.oneof(fc.integer({ min: 0, max: 2 ** 42 }), fc.double(), hostileString);
/** Messenger Platform deliveries: messages, quick replies, echoes, postbacks, delivery receipts; near-valid, or valid throughout when `hostility` is 0. */
const messengerDeliveryOf = (hostility: number) =>
  nearValid(
    {
      object: fc.constant('page'),
      entry: fc.array(
        nearValid(
          {
            id: fc.constant(PAGE_ID),
            time: epochMs,
            messaging: fc.array(
              nearValid(
                {
                  sender: nearValid({ id: phone }, hostility),
                  recipient: nearValid({ id: graphId }, hostility),
                  timestamp: epochMs,
                  // Meta sends one of these per event; the parser reads the first it finds.
                  message: sometimes(
                    nearValid(
                      {
                        mid: messageId,
                        text: fc.oneof(customerText, hostileString),
                        is_echo: sometimes(fc.boolean()),
                        quick_reply: sometimes(nearValid({ payload: customerText }, hostility)),
                      },
                      hostility,
                    ),
                  ),
                  postback: sometimes(nearValid({ payload: customerText, mid: sometimes(messageId), title: customerText }, hostility)),
                  delivery: sometimes(nearValid({ mids: fc.array(messageId, { maxLength: 3 }), watermark: epochMs }, hostility)),
                },
                hostility,
              ),
              { minLength: 1, maxLength: 3 },
            ),
          },
          hostility,
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
    hostility,
  );

/** Mostly valid throughout, so customers' messages come out; else near-valid at every level. */
const validOrNearValid = (of: (hostility: number) => fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 2, arbitrary: of(0) }, { weight: 1, arbitrary: of(2) });
const whatsAppDelivery = validOrNearValid(whatsAppDeliveryOf);
const messengerDelivery = validOrNearValid(messengerDeliveryOf);

const signatureOf = (body: HostileBody, secret: string): string =>
  `sha256=${createHmac('sha256', secret)
    .update(typeof body.bytes === 'string' ? Buffer.from(body.bytes) : (body.bytes ?? Buffer.alloc(0)))
    .digest('hex')}`;

/** A delivery to one of Meta's webhooks: signed with the channel's app secret (mostly), so the payload reaches the parser. */
const webhookRequest = (fixtures: Fixtures, type: 'whatsapp' | 'messenger') => {
  const channel = fixtures[type === 'whatsapp' ? 'whatsApp' : 'messenger'];
  return fc
    .record({
      channelType: fc.oneof(
        { weight: 8, arbitrary: fc.constant(type) },
        { weight: 1, arbitrary: fc.constantFrom('whatsapp', 'messenger', 'webchat', 'api', 'WhatsApp') },
      ),
      channelId: hostileId(channel.channelId, fixtures.webchatChannelId, fixtures.apiChannel.channelId),
      body: hostileBody(type === 'whatsapp' ? whatsAppDelivery : messengerDelivery),
      signature: fc.oneof(
        { weight: 8, arbitrary: fc.constant('valid') },
        { weight: 1, arbitrary: fc.constantFrom('uppercase', 'missing', 'other secret', 'empty secret', 'sha1') },
        { weight: 1, arbitrary: hostileBearer },
      ),
    })
    .map(({ channelType, channelId, body, signature }) => {
      const signed: Record<string, string | undefined> = {
        valid: signatureOf(body, channel.appSecret),
        uppercase: signatureOf(body, channel.appSecret).toUpperCase().replace('SHA256=', 'sha256='),
        missing: undefined,
        'other secret': signatureOf(body, `${channel.appSecret}x`),
        'empty secret': signatureOf(body, ''),
        sha1: `sha1=${createHmac('sha1', channel.appSecret).update(String(body.bytes)).digest('hex')}`,
      };
      const header = signature in signed ? signed[signature] : signature;
      const strings = [...channelId.strings, ...(signature in signed ? [] : [signature])];
      return request('POST', `/webhooks/${channelType}/${channelId.segment}`, body, { header: undefined, strings }, [], {
        ...(header === undefined ? {} : { 'x-hub-signature-256': header }),
      });
    });
};

/** The API channel's secret (mostly), else something that must not open it. */
const apiChannelAuthorization = (fixtures: Fixtures): fc.Arbitrary<Authorization> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constant<Authorization>({ header: `Bearer ${fixtures.apiChannel.secret}`, strings: [] }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Authorization>(
        { header: undefined, strings: [] },
        { header: `Bearer ${fixtures.admin}`, strings: [] },
        { header: `Bearer ${fixtures.apiChannel.secret}x`, strings: [] },
        { header: `bearer   ${fixtures.apiChannel.secret}`, strings: [] },
        { header: fixtures.apiChannel.secret, strings: [] },
      ),
    },
    { weight: 1, arbitrary: hostileBearer.map((value) => ({ header: `Bearer ${value}`, strings: [value] })) },
  );

const apiChannelRequest = (fixtures: Fixtures, route: string, body: fc.Arbitrary<HostileBody>) =>
  fc
    .record({
      channelId: hostileId(fixtures.apiChannel.channelId, fixtures.pushedApiChannelId, fixtures.webchatChannelId),
      body,
      authorization: apiChannelAuthorization(fixtures),
    })
    .map(({ channelId, body: sent, authorization }) =>
      request('POST', `/channels/${channelId.segment}/api/${route}`, sent, authorization, channelId.strings),
    );

/** Per endpoint: the requests to send it. */
const ENDPOINTS: Record<string, (fixtures: Fixtures) => fc.Arbitrary<HostileRequest>> = {
  'POST /workflows': (fixtures) =>
    fc
      .record({ body: hostileBody(nameBody), auth: adminAuthorization(fixtures) })
      .map(({ body, auth }) => request('POST', '/workflows', body, auth)),
  'PATCH /workflows/:id': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.editedWorkflowId, fixtures.flowWorkflowId, fixtures.deletedWorkflowId),
        body: hostileBody(nameBody),
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('PATCH', `/workflows/${id.segment}`, body, auth, id.strings)),
  'PUT /workflows/:id/definition': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.editedWorkflowId, fixtures.deletedWorkflowId),
        body: hostileBody(definitionBody),
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('PUT', `/workflows/${id.segment}/definition`, body, auth, id.strings)),
  'POST /workflows/:id/copy': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.editedWorkflowId, fixtures.flowWorkflowId, fixtures.deletedWorkflowId),
        body: hostileBody(nameBody),
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('POST', `/workflows/${id.segment}/copy`, body, auth, id.strings)),
  'DELETE /workflows/:id': (fixtures) =>
    fc
      .record({
        id: fc.oneof(...fixtures.doomedWorkflowIds.map((id) => hostileId(id, fixtures.deletedWorkflowId))),
        body: hostileEmptyBody,
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('DELETE', `/workflows/${id.segment}`, body, auth, id.strings)),
  'POST /workflows/:id/deactivate-sessions': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.flowWorkflowId, fixtures.editedWorkflowId, fixtures.deletedWorkflowId),
        body: hostileEmptyBody,
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('POST', `/workflows/${id.segment}/deactivate-sessions`, body, auth, id.strings)),
  'POST /workflows/:id/try-it': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.editedWorkflowId, fixtures.deletedWorkflowId),
        body: hostileEmptyBody,
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('POST', `/workflows/${id.segment}/try-it`, body, auth, id.strings)),
  'POST /workflows/:id/try-it/end': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.editedWorkflowId, fixtures.deletedWorkflowId),
        body: hostileBody(nearValid({ contactId })),
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('POST', `/workflows/${id.segment}/try-it/end`, body, auth, id.strings)),
  'POST /channels': (fixtures) =>
    fc
      .record({ body: hostileBody(channelBody), auth: adminAuthorization(fixtures) })
      .map(({ body, auth }) => request('POST', '/channels', body, auth)),
  'PUT /channels/:id/workflow': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.assignedChannelId, fixtures.pushedApiChannelId),
        body: hostileBody(
          nearValid({
            workflowId: fc.oneof(
              fc.constantFrom(fixtures.editedWorkflowId, fixtures.deletedWorkflowId, fixtures.editedWorkflowId.toUpperCase()),
              fc.uuid(),
            ),
          }),
        ),
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('PUT', `/channels/${id.segment}/workflow`, body, auth, id.strings)),
  'DELETE /channels/:id/workflow': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.assignedChannelId, fixtures.pushedApiChannelId),
        body: hostileEmptyBody,
        auth: adminAuthorization(fixtures),
      })
      .map(({ id, body, auth }) => request('DELETE', `/channels/${id.segment}/workflow`, body, auth, id.strings)),
  'POST /webchat/:channelId/messages': (fixtures) =>
    fc
      .record({
        id: hostileId(fixtures.webchatChannelId, fixtures.whatsApp.channelId),
        body: hostileBody(nearValid({ contactId, text: customerText, contactName: sometimes(validName) })),
        auth: fc.oneof(
          { weight: 6, arbitrary: fc.constant<Authorization>({ header: undefined, strings: [] }) },
          { weight: 1, arbitrary: adminAuthorization(fixtures) },
        ),
      })
      .map(({ id, body, auth }) => request('POST', `/webchat/${id.segment}/messages`, body, auth, id.strings)),
  'POST /webhooks/whatsapp/:channelId': (fixtures) => webhookRequest(fixtures, 'whatsapp'),
  'POST /webhooks/messenger/:channelId': (fixtures) => webhookRequest(fixtures, 'messenger'),
  'POST /channels/:id/api/messages': (fixtures) =>
    apiChannelRequest(
      fixtures,
      'messages',
      hostileBody(
        nearValid({
          contactId,
          contactName: sometimes(validName),
          // Exactly one of text and choice, mostly.
          text: fc.oneof({ weight: 3, arbitrary: customerText }, { weight: 1, arbitrary: sometimes(customerText) }),
          choice: sometimes(fc.constantFrom('orders', 'returns', 'nothing offered')),
          externalId: fc.oneof(fc.constantFrom('first-message', 'ext-1', 'ext-2'), messageId),
        }),
      ),
    ),
  'POST /channels/:id/api/receipts': (fixtures) =>
    apiChannelRequest(
      fixtures,
      'receipts',
      hostileBody(
        nearValid({
          messageId: fc.oneof(fc.constantFrom(...fixtures.apiChannel.outboxMessageIds), messageId),
          status: mostly(fc.constantFrom('sent', 'delivered', 'read', 'failed'), 'seen', 'SENT'),
          at: sometimes(
            mostly(
              fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
              '2024-02-30T00:00:00Z',
              '2024-01-01',
              'yesterday',
              '+275760-09-13T00:00:00.000Z',
            ),
          ),
        }),
      ),
    ),
  'POST /channels/:id/api/outbox/ack': (fixtures) =>
    apiChannelRequest(
      fixtures,
      'outbox/ack',
      hostileBody(
        nearValid({
          messageIds: fc.oneof(
            {
              weight: 9,
              arbitrary: fc.array(fc.oneof(fc.constantFrom(...fixtures.apiChannel.outboxMessageIds), messageId), { maxLength: 4 }),
            },
            { weight: 1, arbitrary: fc.array(messageId, { minLength: 201, maxLength: 201 }) },
          ),
        }),
      ),
    ),
};

/**
 * Nest's error body (a refused definition adds its `problems`, a stale version the `currentVersion`), saying what is wrong without
 * repeating a fuzzed string whole when it is longer than the server ever quotes.
 */
function expectRefusal(answer: Answer, strings: string[]): void {
  expect(answer.body).toMatchObject({ statusCode: answer.status, message: expect.anything(), error: expect.any(String) });
  const { message, problems, currentVersion, ...rest } = answer.body as { message: unknown; problems?: unknown; currentVersion?: unknown };
  expect(Object.keys(rest).sort()).toEqual(['error', 'statusCode']);
  if (currentVersion !== undefined) expect(answer.status === 409 && Number.isInteger(currentVersion)).toBe(true);
  const said = [message].flat();
  expect(said.every((text) => typeof text === 'string')).toBe(true);
  if (problems !== undefined) said.push(...stringsIn(problems));
  for (const echoed of strings.filter((text) => [...text].length > MAX_QUOTED_LENGTH)) {
    expect(said.filter((text) => (text as string).includes(echoed))).toEqual([]);
  }
}

describe('hostile writes', () => {
  const graph = new GraphApiStandIn();
  // Limits would answer most of the run with 429 before the endpoints saw it; the limits have suites of their own.
  const suite = inProcessServerForSuite({ rateLimits: RATE_LIMITS_OFF });
  let fixtures: Fixtures;
  let store: StoreWatch;
  /** Requests refused during the run, to send again at the end against a digest of all stored data. */
  const refused: HostileRequest[] = [];

  beforeAll(async () => {
    fixtures = await arrange(suite.api, await graph.start());
    store = new StoreWatch(suite.server);
    await store.settled();
  });
  afterAll(async () => {
    store.close();
    await graph.stop();
  });

  /** One request: below 500; refused, it is Nest's error body and both stores stay as they were; accepted, everything it set off finishes. */
  const exercise = async (hostile: HostileRequest): Promise<void> => {
    const before = await store.marks();
    const answer = await send(suite.api, hostile);
    expect(answer.status).toBeLessThan(500);
    if (answer.status >= 400) {
      expectRefusal(answer, hostile.strings);
      expect(await store.marks()).toEqual(before);
      refused.push(hostile);
    } else {
      await store.settled();
    }
  };

  it.each(Object.keys(ENDPOINTS))('%s: never 5xx, refusals are clear and change nothing', async (endpoint) => {
    await fc.assert(fc.asyncProperty(ENDPOINTS[endpoint](fixtures), exercise), { seed: SEED, numRuns: runsOf(endpoint), timeout: 20_000 });
  });

  it("got past the signatures into the parsers: fuzzed deliveries became customers' messages and started sessions", () => {
    const onChannel = (type: string, channelId: string) =>
      (eventsOfType(suite.server.dataDir, type) as { channelId: string }[]).filter((event) => event.channelId === channelId).length;
    for (const { channelId } of [fixtures.whatsApp, fixtures.messenger]) {
      expect(onChannel('MessageReceived', channelId)).toBeGreaterThan(5);
      expect(onChannel('SessionStarted', channelId)).toBeGreaterThan(5);
    }
  });

  it('is healthy afterwards, and a normal conversation still works', async () => {
    expect(await suite.api.request('GET', '/health', { token: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
    // Ready: every store answers and every subscription has caught up.
    expect((await suite.api.request('GET', '/health/ready', { token: null })).status).toBe(200);
    expect((await suite.api.request('POST', '/workflows', { body: { name: 'After the storm' } })).status).toBe(201);
    const visitor = new Visitor(suite.api, fixtures.webchatChannelId);
    await visitor.say('Hello');
    expect(await visitor.awaitReplies(2)).toEqual([expect.stringMatching(/^Hi/), 'What can we do for you?']);
  });

  it('leaves the stored data byte-identical when every refused request is sent again', async () => {
    await store.settled({ checkpoints: true });
    const digest = store.digest();
    const marks = await store.marks();
    for (const hostile of refused) expect((await send(suite.api, hostile)).status).toBeGreaterThanOrEqual(400);
    expect(store.digest()).toBe(digest);
    expect(await store.marks()).toEqual(marks);
    expect(refused.length).toBeGreaterThan(Object.keys(ENDPOINTS).length * 10);
  });
});
