import type { WorkflowCard } from '../workflows/workflow-card-stream.js';

/** A workflow a channel can run, as its select lists it. */
export interface WorkflowOption {
  id: string;
  name: string;
  /** The name, and where two workflows share it, when each was created: names need not be unique. */
  label: string;
}

export const workflowOptionsOf = (workflows: Pick<WorkflowCard, 'id' | 'name' | 'createdAt'>[]): WorkflowOption[] => {
  const counted = (labels: string[]) => {
    const counts = new Map<string, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    return counts;
  };
  const names = counted(workflows.map(({ name }) => name));
  const dated = workflows.map(({ name, createdAt }) =>
    names.get(name) === 1 ? name : `${name} (created ${new Date(createdAt).toLocaleString()})`,
  );
  // Made in the same second: the end of the id (random; its start is a time) still tells them apart.
  const datedCounts = counted(dated);
  return workflows.map(({ id, name }, index) => {
    const label = dated[index];
    return { id, name, label: datedCounts.get(label) === 1 ? label : `${label.slice(0, -1)}, id …${id.slice(-8)})` };
  });
};
