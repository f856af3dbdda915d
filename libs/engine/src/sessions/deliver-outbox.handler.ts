import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  CorruptStreamError,
  type MessageSent,
  type RecordDeliveryAttempt,
  type SessionStarted,
  channelDecider,
  channelStreamName,
  deliveryDecider,
  outboxStreamName,
  sessionStreamName,
} from '#domain';
import { CHANNEL_FETCH, CHANNEL_REGISTRY, CHANNEL_SECRETS, type ChannelRegistry, type SecretBox, openChannel } from '#channels';
import { EVENT_STORE, type EventStore } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import { handleEventSourcedCommand, loadState } from '../command-handling/event-sourced-command.js';
import { DeliverOutboxCommand } from './deferred-work.commands.js';
import { ENGINE_OBSERVER, type EngineObserver } from './engine-observer.js';

/**
 * Delivers, in order, what a session said (its MessageSent events, the outbox's intents) and has
 * not been delivered yet, recording each outcome before the next message. A message that must be
 * retried stops the run, so that no later message overtakes it. A message is sent again only if
 * its outcome was not recorded: a crash between the provider's answer and the record is the one
 * moment a message can reach the customer twice.
 */
@CommandHandler(DeliverOutboxCommand)
export class DeliverOutboxHandler implements ICommandHandler<DeliverOutboxCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHANNEL_SECRETS) private readonly secrets: SecretBox,
    @Inject(CHANNEL_REGISTRY) private readonly channels: ChannelRegistry,
    @Inject(CHANNEL_FETCH) private readonly channelFetch: typeof fetch,
    @Optional() @Inject(ENGINE_OBSERVER) private readonly observer?: EngineObserver,
  ) {}

  async execute(command: DeliverOutboxCommand): Promise<void> {
    const { sessionId } = command;
    const sessionEvents = (await this.store.readStream(sessionStreamName(sessionId))) as unknown as (
      | { type: 'SessionStarted'; data: SessionStarted['data'] }
      | { type: 'MessageSent'; data: MessageSent['data'] }
      | { type: string; data: unknown }
    )[];
    const started = sessionEvents.find(
      (event): event is { type: 'SessionStarted'; data: SessionStarted['data'] } => event.type === 'SessionStarted',
    );
    if (started === undefined) throw new CorruptStreamError(`Session ${sessionId} has an outbox but never started`);
    const outbox = await loadState(this.store, outboxStreamName(sessionId), deliveryDecider);
    const undelivered = sessionEvents
      .filter((event): event is { type: 'MessageSent'; data: MessageSent['data'] } => event.type === 'MessageSent')
      .map((event) => event.data)
      .filter(({ messageId }) => !outbox.done.has(messageId));
    if (undelivered.length === 0) return;

    const { channelId, contactId, workflowId } = started.data;
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active') throw new CorruptStreamError(`Channel ${channelId} of session ${sessionId} was never created`);
    // An unregistered type throws here, naming it: the outbox stays owed until its adapter is back.
    const { outbound } = this.channels.adapterFor(channel.channelType);
    if (outbound.kind !== 'push') {
      throw new CorruptStreamError(
        `Channel ${channelId} of session ${sessionId} is a ${channel.channelType} channel, which nothing is pushed to`,
      );
    }
    const client = outbound.client(openChannel(channel, this.secrets), this.channelFetch);
    for (const { messageId, text, choices } of undelivered) {
      const outcome = await client.send(
        { to: contactId, text, ...(choices === undefined ? {} : { choices }) },
        { messageId, sessionId, workflowId },
      );
      this.observer?.deliveryAttempted(channel.channelType, outcome.kind);
      const record: RecordDeliveryAttempt = {
        type: 'RecordDeliveryAttempt',
        data: { sessionId, messageId, outcome, now: new Date().toISOString() },
      };
      await this.recordAttempt(record, command.context);
      if (outcome.kind === 'retryable') return;
    }
  }

  private recordAttempt(command: RecordDeliveryAttempt, context: CommandContext) {
    return handleEventSourcedCommand(this.store, outboxStreamName(command.data.sessionId), deliveryDecider, command, context, {
      retryOnConflict: true,
    });
  }
}
