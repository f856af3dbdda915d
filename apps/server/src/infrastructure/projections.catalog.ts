import { sessionEngineStateProjection } from '#engine';
import { type Projection, channelsProjection, sessionsProjection, workflowsProjection } from '#readmodel';

/** The read models users read, each run by a `projections` process. */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [workflowsProjection, channelsProjection, sessionsProjection];

/**
 * Everything kept from the log beside a checkpoint: the read models and the session engine's own
 * state (its reactions left out). What the operator commands rebuild and verify.
 */
export const ALL_PROJECTIONS: readonly Projection[] = [...READ_MODEL_PROJECTIONS, sessionEngineStateProjection];
