import { useCallback, useEffect, useState } from 'react';
import { type ApiClient, ApiError, dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { ErrorNotice } from '../ui/errors.js';
import { ChannelItem } from './channel-item.js';
import { type Channel, channelTypeLabel, type NewChannel } from './channel-types.js';
import { CreateChannelDialog } from './create-channel.dialog.js';
import { type WorkflowOption, workflowOptionsOf } from './workflow-options.js';
import './channels.css';

/** Every workflow of the workspace, page after page: a channel may run any of them. */
const everyWorkflow = async (api: ApiClient): Promise<WorkflowOption[]> => {
  const workflows = [];
  for (let cursor: string | undefined; ;) {
    const page = dataOf(await api.GET('/workflows', { params: { query: { limit: 1000, cursor } } }));
    workflows.push(...page.items);
    if (page.nextCursor === undefined) return workflowOptionsOf(workflows);
    cursor = page.nextCursor;
  }
};

/** Tools > Channels: where customers reach a workflow (the product's "channel settings"). */
export const ChannelsPage = () => {
  const { api, canChange } = useSignedIn();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [workflows, setWorkflows] = useState<WorkflowOption[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  /** After a change, the list read once the projection has it (`consistentWith` its position). */
  const loadChannels = useCallback(
    async (consistentWith?: string) => {
      const { items } = dataOf(await api.GET('/channels', { params: { query: { consistentWith } } }));
      setChannels(items);
    },
    [api],
  );

  useEffect(() => {
    loadChannels().catch(setError);
    everyWorkflow(api).then(setWorkflows).catch(setError);
  }, [api, loadChannels]);

  const create = async (channel: NewChannel) => {
    const { position } = dataOf(await api.POST('/channels', { body: channel }));
    setCreating(false);
    setAnnouncement(`${channelTypeLabel(channel.type)} channel “${channel.name}” created.`);
    await loadChannels(position).catch(setError);
  };

  const assign = (channel: Channel) => async (workflowId: string | null) => {
    const params = { path: { id: channel.id } };
    const workflow = workflows?.find((shown) => shown.id === workflowId);
    let position: string;
    try {
      ({ position } = dataOf(
        workflowId === null
          ? await api.DELETE('/channels/{id}/workflow', { params })
          : await api.PUT('/channels/{id}/workflow', { params, body: { workflowId } }),
      ));
    } catch (refused) {
      // Deleted since this page listed it: said by name, and gone from the choices.
      if (refused instanceof ApiError && refused.status === 404 && workflow !== undefined && refused.message.startsWith('Workflow ')) {
        setWorkflows((shown) => shown?.filter(({ id }) => id !== workflow.id) ?? null);
        throw new Error(`“${workflow.name}” was deleted meanwhile: choose another workflow.`, { cause: refused });
      }
      throw refused;
    }
    setAnnouncement(
      workflowId === null ? `“${channel.name}” has no workflow now.` : `“${channel.name}” now runs “${workflow?.name ?? workflowId}”.`,
    );
    await loadChannels(position);
  };

  return (
    <>
      <header className="page-header">
        <h1>Channels</h1>
        <span className="spacer" />
        {canChange && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            + New channel
          </button>
        )}
      </header>
      <p className="hint">
        Customers reach a workflow through a channel: a web chat on your site, a WhatsApp number or a Messenger page. A channel runs the
        workflow assigned to it for every new conversation.
        {!canChange && ' You can read this page; admins create channels and assign workflows.'}
      </p>
      <p role="status" className={announcement === '' ? 'channels-announcement' : 'notice ok channels-announcement'}>
        {announcement}
      </p>
      <ErrorNotice error={error} />
      {channels === null ? (
        error === null && <p>Loading the channels…</p>
      ) : channels.length === 0 ? (
        <div className="channels-empty">
          <h2>No channels yet</h2>
          <p>{canChange ? 'Create one with + New channel, then assign it a workflow.' : 'An admin creates channels; they appear here.'}</p>
        </div>
      ) : (
        <ul className="channel-list">
          {channels.map((channel) => (
            <li key={channel.id}>
              <ChannelItem channel={channel} workflows={workflows} canChange={canChange} onAssign={assign(channel)} />
            </li>
          ))}
        </ul>
      )}
      {creating && <CreateChannelDialog onCreate={create} onClose={() => setCreating(false)} />}
    </>
  );
};
