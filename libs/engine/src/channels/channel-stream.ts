import { type ActiveChannel, type ChannelCommand, type ChannelState, channelDecider, channelStreamName } from '#domain';
import type { EventStore } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import {
  type CommandHandlingOptions,
  type CommandOutcome,
  handleEventSourcedCommand,
  loadStream,
} from '../command-handling/event-sourced-command.js';

/** Runs one channel command through the pure decider against the channel's own stream. */
export const handleChannelCommand = (
  store: EventStore,
  command: ChannelCommand,
  context: CommandContext,
  options: CommandHandlingOptions,
): Promise<CommandOutcome<ChannelState>> =>
  handleEventSourcedCommand(
    store,
    channelStreamName(command.data.channelId),
    channelDecider,
    (state) => channelDecider.decide(command, state),
    context,
    options,
  );

export const loadChannel = async (store: EventStore, channelId: string): Promise<ChannelState> =>
  (await loadStream(store, channelStreamName(channelId), channelDecider)).state;

/** What a channel received is recorded in the channel's name and workspace, caused by the delivery `deliveryId`. */
export const channelContext = (channel: ActiveChannel, deliveryId: string): CommandContext => ({
  actor: { sub: `${channel.channelType}:${channel.channelId}`, role: 'channel' },
  workspace: channel.workspace,
  correlationId: deliveryId,
  causationId: deliveryId,
});
