// The commands the HTTP API and the channel endpoints dispatch, with their handlers: load, decide, append.
export * from './workflows/workflow-command-result.js';
export * from './workflows/create-workflow.command.js';
export * from './workflows/rename-workflow.command.js';
export * from './workflows/publish-workflow-definition.command.js';
export * from './workflows/copy-workflow.command.js';
export * from './workflows/delete-workflow.command.js';
export * from './workflows/workflow-commands.module.js';
export * from './channels/channel-context.js';
export * from './channels/create-channel.command.js';
export * from './channels/assign-channel-workflow.command.js';
export * from './channels/channel-commands.module.js';
export * from './channels/receive-channel-message.command.js';
export * from './channels/record-channel-webhook.command.js';
export * from './channels/end-conversation-session.command.js';
export * from './channels/rename-channel.command.js';
export * from './workflows/deactivate-workflow-sessions.command.js';
