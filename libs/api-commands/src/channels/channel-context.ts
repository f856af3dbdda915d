import type { ActiveChannel } from '#domain';
import type { CommandContext } from '#engine';

/** What a channel received is recorded in the channel's name and workspace, caused by the delivery `deliveryId`. */
export const channelContext = (channel: ActiveChannel, deliveryId: string): CommandContext => ({
  actor: { sub: `${channel.channelType}:${channel.channelId}`, role: 'channel' },
  workspace: channel.workspace,
  correlationId: deliveryId,
  causationId: deliveryId,
});
