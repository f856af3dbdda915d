import { sessionEngineStateProjection } from '#engine';
import {
  type Projection,
  type ReadModelIndex,
  apiChannelOutboxProjection,
  channelsProjection,
  sessionsProjection,
  workflowsProjection,
} from '#readmodel';

/** The read models users read, each run by a `projections` process. */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  workflowsProjection,
  channelsProjection,
  sessionsProjection,
  apiChannelOutboxProjection,
];

/**
 * Everything kept from the log beside a checkpoint: the read models and the session engine's own
 * state (its reactions left out). What the operator commands rebuild and verify.
 */
export const ALL_PROJECTIONS: readonly Projection[] = [...READ_MODEL_PROJECTIONS, sessionEngineStateProjection];

/** What every read-model store is opened with, before anything reads it: the queries of all of them. */
export const ALL_INDEXES: readonly ReadModelIndex[] = ALL_PROJECTIONS.flatMap(({ indexes }) => indexes);
