import { channelRegistry } from '#channels';

/** The channel types whose provider calls the service's webhook (Meta's WhatsApp and Messenger). */
export const WEBHOOK_CHANNEL_TYPES = channelRegistry.types.filter((type) => channelRegistry.find(type)?.inbound.kind === 'webhook');

/**
 * Meta's delivery as it sends it: the server records the signed payload as received and reads
 * from it what it knows (customers' messages, choices, receipts); the rest is kept, not refused.
 */
export const META_WEBHOOK_PAYLOAD_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description:
    'Meta’s webhook object (WhatsApp Cloud API or Messenger Platform), as Meta sends it: recorded as signed, whatever it holds. ' +
    'Customers’ messages, chosen buttons, list rows, quick replies and postbacks, and message statuses are read from it; ' +
    'what else it holds is kept and left out.',
  properties: {
    object: { type: 'string', example: 'whatsapp_business_account', description: '`whatsapp_business_account` or `page`' },
    entry: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'What happened, as Meta groups it' },
  },
};

export const META_WEBHOOK_PAYLOAD_EXAMPLES = {
  whatsapp: {
    summary: 'A WhatsApp customer writes',
    value: {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'Ada' }, wa_id: '4915112345678' }],
                messages: [
                  {
                    from: '4915112345678',
                    id: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjA',
                    timestamp: '1767268800',
                    type: 'text',
                    text: { body: 'Hello' },
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  },
  messenger: {
    summary: 'A Messenger customer writes',
    value: {
      object: 'page',
      entry: [
        {
          id: '1067280970047460',
          time: 1767268800000,
          messaging: [
            {
              sender: { id: '6783429016714521' },
              recipient: { id: '1067280970047460' },
              timestamp: 1767268800000,
              message: { mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM', text: 'Hello' },
            },
          ],
        },
      ],
    },
  },
};
