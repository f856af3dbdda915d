import { randomUUID } from 'node:crypto';
import type { NewEvent } from '#eventstore';

/** An event of `type` with no data, as a spec appends it to a store: a fresh id, in `workspace`. */
export const specEvent = (type: string, workspace = 'default'): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { sub: 'spec', role: 'admin' },
    occurredAt: new Date().toISOString(),
    workspace,
  },
});
