import { createHash } from 'node:crypto';

/** Namespace of the preview channel ids, so they cannot meet a UUID derived for anything else. */
const PREVIEW_CHANNEL_NAMESPACE = 'workflows-service/try-it-channel/';

/**
 * The id of a workflow's preview channel: a name-based UUID (version 5 layout: SHA-1 of the
 * namespace and the workflow id), so that asking again finds the same channel.
 */
export const previewChannelId = (workflowId: string): string => {
  const bytes = createHash('sha1')
    .update(PREVIEW_CHANNEL_NAMESPACE + workflowId.toLowerCase())
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
