import { Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, handles, garbage collection, event-loop delay), in a
 * registry of their own, collected once per process: they describe the process, not one server
 * in it, and their collectors (a GC observer, an event-loop delay monitor) run for as long as the
 * process does. Several servers in one process (a test run) share them.
 */
export const processMetrics = (): Registry => {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
};
