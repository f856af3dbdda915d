export * from './errors.js';
export * from './session/session.events.js';
export * from './workflow/step.schema.js';
export * from './workflow/workflow-name.js';
export * from './workflow/workflow.decider.js';
export * from './workflow/workflow.events.js';
