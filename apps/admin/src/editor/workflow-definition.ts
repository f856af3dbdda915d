import type { DefinitionProblem } from '../api/api-client.js';

/**
 * The flow definition as the editor holds it: plain step objects, exactly what the API takes and
 * gives back, with the few operations the canvas and panels need. Which fields name another step
 * is read from the field names (`next`, `elseNext`, `invalidNext`, …), so step types the server
 * adds later still draw and rename correctly.
 */
export type JsonObject = { [field: string]: unknown };

export interface Step extends JsonObject {
  id: string;
  type: string;
}

export interface Definition {
  steps: Step[];
  settings: JsonObject;
}

/** A place in a step: `['options', 0, 'next']`. */
export type FieldPath = (string | number)[];

/** The API's notation for a place: `options[0].next`. */
export const pathText = (path: FieldPath): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');

export const isTargetField = (name: string): boolean => name === 'next' || /^[a-z]+Next$/.test(name);

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A link from a step to another: one field naming the target. */
export interface StepLink {
  source: string;
  target: string;
  path: FieldPath;
  label: string | undefined;
}

const conditionText = (condition: unknown): string | undefined => {
  if (!isJsonObject(condition)) return undefined;
  const { variable, op, value } = condition;
  return [variable, op, value].filter((part) => part !== undefined && part !== '').join(' ');
};

/** How an edge is labelled: a choice by its label, a branch by its condition, `elseNext` "else". */
const linkLabel = (name: string, owner: JsonObject, depth: number): string | undefined => {
  if (name !== 'next') return name.replace(/Next$/, '');
  if (depth === 0) return undefined;
  if (typeof owner.label === 'string') return owner.label;
  if ('condition' in owner) return conditionText(owner.condition);
  return undefined;
};

const collectLinks = (value: unknown, step: Step, path: FieldPath, links: StepLink[]): void => {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectLinks(item, step, [...path, index], links));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [name, field] of Object.entries(value)) {
    if (isTargetField(name) && typeof field === 'string' && field !== '') {
      links.push({ source: step.id, target: field, path: [...path, name], label: linkLabel(name, value, path.length) });
    } else if (typeof field === 'object') {
      collectLinks(field, step, [...path, name], links);
    }
  }
};

/** Every field of the step that names a step. */
export const linksOf = (step: Step): StepLink[] => {
  const links: StepLink[] = [];
  collectLinks(step, step, [], links);
  return links;
};

/** A copy of `value` with the field at `path` set; `undefined` removes it (an absent field, not a null). */
export const writePath = <T>(value: T, path: FieldPath, field: unknown): T => {
  if (path.length === 0) return field as T;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = writePath(copy[head as number], rest, field);
    return copy as T;
  }
  const copy: JsonObject = { ...(value as JsonObject) };
  const written = writePath(copy[head as string], rest, field);
  if (written === undefined) delete copy[head as string];
  else copy[head as string] = written;
  return copy as T;
};

/** Replaces every reference to step `from` with `to` (undefined: drops the reference). */
const retarget = (value: unknown, from: string, to: string | undefined): unknown => {
  if (Array.isArray(value)) return value.map((item) => retarget(item, from, to));
  if (!isJsonObject(value)) return value;
  const copy: JsonObject = {};
  for (const [name, field] of Object.entries(value)) {
    if (isTargetField(name) && field === from) {
      if (to !== undefined) copy[name] = to;
    } else {
      copy[name] = retarget(field, from, to);
    }
  }
  return copy;
};

export const renameStep = (steps: Step[], from: string, to: string): Step[] =>
  steps.map((step) => {
    const renamed = retarget(step, from, to) as Step;
    return step.id === from ? { ...renamed, id: to } : renamed;
  });

/** Removes the step and every field that pointed at it. */
export const removeStep = (steps: Step[], id: string): Step[] =>
  steps.filter((step) => step.id !== id).map((step) => retarget(step, id, undefined) as Step);

/** `send_message_2`: the type and the first number not taken. */
export const freshStepId = (steps: Step[], type: string): string => {
  const taken = new Set(steps.map((step) => step.id));
  for (let n = 1; ; n++) {
    const id = `${type}_${n}`;
    if (!taken.has(id)) return id;
  }
};

/** The text a node shows: the customer-facing text, or the next most telling field. */
export const stepSummary = (step: Step): string => {
  for (const field of ['text', 'instructions', 'team', 'handoffTeam', 'note']) {
    if (typeof step[field] === 'string' && step[field] !== '') return step[field];
  }
  if (typeof step.seconds === 'number') return `${step.seconds} seconds`;
  if (Array.isArray(step.branches)) return `${step.branches.length} ${step.branches.length === 1 ? 'rule' : 'rules'}`;
  return '';
};

/**
 * The steps no path from the first one reaches, following `links` (the implicit "following step"
 * ones included): they never run, which is seldom what the admin meant.
 */
export const stepsNotReached = (steps: Step[], links: { source: string; target: string }[]): Set<string> => {
  const targets = new Map<string, string[]>();
  for (const { source, target } of links) targets.set(source, [...(targets.get(source) ?? []), target]);
  const reached = new Set<string>();
  const waiting = steps.length === 0 ? [] : [steps[0].id];
  for (let id = waiting.pop(); id !== undefined; id = waiting.pop()) {
    if (reached.has(id)) continue;
    reached.add(id);
    waiting.push(...(targets.get(id) ?? []));
  }
  return new Set(steps.map((step) => step.id).filter((id) => !reached.has(id)));
};

export const sameDefinition = (a: Definition, b: Definition): boolean => JSON.stringify(a) === JSON.stringify(b);

// ---- What the API said was wrong ----

/** A problem the server found in a definition it refused, with what it was about there (`subjectOf`). */
export interface RefusedProblem extends DefinitionProblem {
  sent: string;
}

/** `options[0].label` → `['options', 0, 'label']`. */
const parsePath = (text: string): FieldPath =>
  [...text.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map(([, index, name]) => (index === undefined ? name : Number(index)));

const readPath = (value: unknown, path: FieldPath): unknown =>
  path.reduce<unknown>(
    (at, part) => (isJsonObject(at) || Array.isArray(at) ? (at as Record<string | number, unknown>)[part] : undefined),
    value,
  );

/**
 * What a problem is about in `definition`, as text: the field its path names, its whole step (but
 * for the step's id, which a rename changes) when it names no field, the whole flow when it names
 * no step.
 */
const subjectOf = (problem: DefinitionProblem, definition: Definition): string => {
  const about = (value: unknown) => JSON.stringify(value) ?? 'absent';
  if (/^settings\b/.test(problem.path)) return about(readPath(definition.settings, parsePath(pathInSettings(problem.path))));
  if (problem.stepId === undefined) return about(definition.steps);
  const step = definition.steps.find((candidate) => candidate.id === problem.stepId);
  if (step === undefined) return 'no such step';
  const inStep = pathInStep(problem.path);
  return about(inStep === '' ? { ...step, id: undefined } : readPath(step, parsePath(inStep)));
};

/**
 * The problems of a refused definition (the 400's `problems`) tied to their steps: a problem
 * without a step id (a step whose id itself is wrong) is tied to its step by the index in its path.
 */
export const refusedProblems = (problems: DefinitionProblem[], sent: Definition): RefusedProblem[] =>
  problems.map((problem) => {
    const index = problem.stepId === undefined ? /^steps\[(\d+)\]/.exec(problem.path)?.[1] : undefined;
    const step = index === undefined ? undefined : sent.steps[Number(index)];
    const tied = step === undefined ? problem : { ...problem, stepId: step.id };
    return { ...tied, sent: subjectOf(tied, sent) };
  });

/** The refused problems still to be mended: those whose field (or step, or flow) is as it was sent. */
export const standingProblems = (problems: RefusedProblem[], draft: Definition): RefusedProblem[] =>
  problems.filter((problem) => subjectOf(problem, draft) === problem.sent);

/** `steps[1].options[0].label` → `options[0].label`: where in its step a problem is. */
export const pathInStep = (path: string): string => path.replace(/^steps\[\d+\]\.?/, '');

/** `settings.sessionTimeoutSeconds` → `sessionTimeoutSeconds`: where in the settings a problem is. */
export const pathInSettings = (path: string): string => path.replace(/^settings\.?/, '');

/** The messages of `problems` by the field each is about, as a form marks them (`inForm` makes a path the form's own). */
export const fieldErrorsOf = (problems: DefinitionProblem[], inForm: (path: string) => string): Map<string, string[]> => {
  const errors = new Map<string, string[]>();
  for (const problem of problems) {
    const at = inForm(problem.path);
    errors.set(at, [...(errors.get(at) ?? []), problem.message]);
  }
  return errors;
};
