import { useId, useState } from 'react';
import { Link } from '../routing/router.js';
import { ErrorNotice } from '../ui/errors.js';
import type { WorkflowOption } from './workflow-options.js';
import { type Channel, apiInboundUrl, channelTypeLabel, embedSnippet, webhookUrl, widgetUrl } from './channel-types.js';
import { CopyButton } from './copy-button.js';

/**
 * How a channel is reached: Meta's webhook for WhatsApp and Messenger, the page and the snippet
 * for web chat, the inbound route for an API channel; nothing for a type this console does not know.
 */
const ChannelAddress = ({ channel }: { channel: Channel }) => {
  const id = useId();
  if (channel.type === 'webchat') {
    return (
      <div className="channel-address">
        <p>
          Widget page:{' '}
          <a href={widgetUrl(channel)} target="_blank" rel="noreferrer">
            {widgetUrl(channel)}
          </a>
        </p>
        {/* A preview is for its editor's Try it panel, and goes when the workflow does: nothing to embed. */}
        {channel.previewOf === null && (
          <>
            <p id={`${id}-snippet-label`}>Embed it on any site with this snippet, before the closing &lt;/body&gt; tag:</p>
            <div className="copyable">
              <code>{embedSnippet(channel)}</code>
              <CopyButton text={embedSnippet(channel)} describedBy={`${id}-snippet-label`} />
            </div>
          </>
        )}
      </div>
    );
  }
  if (channel.type === 'api') {
    return (
      <div className="channel-address">
        <p id={`${id}-api-label`}>Messages arrive from its adapter, with the channel&apos;s secret as a bearer token, at:</p>
        <div className="copyable">
          <code>{apiInboundUrl(channel)}</code>
          <CopyButton text={apiInboundUrl(channel)} describedBy={`${id}-api-label`} />
        </div>
      </div>
    );
  }
  if (channel.type !== 'whatsapp' && channel.type !== 'messenger') return null;
  return (
    <div className="channel-address">
      <p id={`${id}-webhook-label`}>
        Webhook URL — paste it as the callback URL in the Meta app&apos;s webhook settings, with this channel&apos;s verify token:
      </p>
      <div className="copyable">
        <code>{webhookUrl(channel)}</code>
        <CopyButton text={webhookUrl(channel)} describedBy={`${id}-webhook-label`} />
      </div>
    </div>
  );
};

/** The channel's workflow: a select and Assign / Unassign for admins, the name for everyone else and on a Try it preview. */
const ChannelWorkflow = ({
  channel,
  workflows,
  canChange,
  onAssign,
}: {
  channel: Channel;
  workflows: WorkflowOption[] | null;
  canChange: boolean;
  onAssign: (workflowId: string | null) => Promise<void>;
}) => {
  const id = useId();
  const [chosen, setChosen] = useState(channel.workflowId ?? '');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const assigned = channel.workflowId === null ? undefined : workflows?.find((workflow) => workflow.id === channel.workflowId);

  const assign = async (workflowId: string | null) => {
    setError(null);
    setSending(true);
    try {
      await onAssign(workflowId);
      if (workflowId === null) setChosen('');
    } catch (refused) {
      setError(refused);
    } finally {
      setSending(false);
    }
  };

  const current =
    channel.workflowId === null ? (
      'No workflow: messages on this channel start no conversation flow.'
    ) : (
      <>
        Runs{' '}
        {assigned !== undefined ? (
          <Link to={`/workflows/${encodeURIComponent(assigned.id)}`}>{assigned.name}</Link>
        ) : (
          <>
            a workflow that is no longer listed (<code>{channel.workflowId}</code>)
          </>
        )}
        .
      </>
    );

  if (channel.previewOf !== null) {
    return (
      <p className="channel-workflow">
        {current} It is the workflow&apos;s Try it preview, made by its editor: it runs that workflow only.
      </p>
    );
  }
  if (!canChange) return <p className="channel-workflow">{current}</p>;
  return (
    <div className="channel-workflow">
      <p>{current}</p>
      <div className="row">
        <label htmlFor={`${id}-workflow`}>Workflow</label>
        <select id={`${id}-workflow`} value={chosen} onChange={(event) => setChosen(event.target.value)} disabled={workflows === null}>
          <option value="">Choose a workflow…</option>
          {workflows?.map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          disabled={sending || chosen === '' || chosen === channel.workflowId}
          onClick={() => void assign(chosen)}
        >
          Assign
        </button>
        {channel.workflowId !== null && (
          <button type="button" disabled={sending} onClick={() => void assign(null)}>
            Unassign
          </button>
        )}
      </div>
      <ErrorNotice error={error} />
    </div>
  );
};

export const ChannelItem = (props: {
  channel: Channel;
  workflows: WorkflowOption[] | null;
  canChange: boolean;
  onAssign: (workflowId: string | null) => Promise<void>;
}) => {
  const { channel } = props;
  const id = useId();
  return (
    <article className="channel" aria-labelledby={`${id}-name`}>
      <header className="channel-header">
        <h2 id={`${id}-name`}>{channel.name}</h2>
        <span className={`channel-type channel-type-${channel.type}`}>{channelTypeLabel(channel.type)}</span>
      </header>
      <ChannelWorkflow {...props} />
      <ChannelAddress channel={channel} />
    </article>
  );
};
