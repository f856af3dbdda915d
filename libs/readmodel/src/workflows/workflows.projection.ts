import { combineProjections } from '../projection.js';
import { workflowCardsProjection } from './workflow-cards.projection.js';
import { workflowVersionsProjection } from './workflow-versions.projection.js';

export const WORKFLOWS_PROJECTION = 'workflows';

/** A workflow's details join its card and its current version: both move in the same commit. */
export const workflowsProjection = combineProjections(WORKFLOWS_PROJECTION, workflowCardsProjection, workflowVersionsProjection);
