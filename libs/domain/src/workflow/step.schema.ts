/**
 * The flow definition: the step types a workflow is made of, and the validation that a published
 * definition must pass.
 *
 * A step runs, then the session moves to its `next` step — by default the following one; after
 * the last step the session completes. `end` and `route_to_team` finish the session and take no
 * `next`; `branch` picks a target from its `branches`, falling back to `elseNext`.
 *
 * The schema is strict: a field that a step type does not define is rejected rather than ignored,
 * so a typo (`nxt`) cannot silently change a flow. Limits, chosen to keep definitions small enough
 * to load, validate and render at once while leaving room for real flows:
 * - at most 500 steps; step ids match `^[A-Za-z0-9_-]{1,64}$` and are unique;
 * - texts (messages, questions, retry texts, notes) are 1..4096 characters, not only whitespace;
 *   AI agent instructions 1..8000; team names, choice labels and values 1..100;
 * - `variable` matches `^[A-Za-z_][A-Za-z0-9_]{0,63}$`;
 * - a choice question has 1..10 options, a branch step 1..20 branches;
 * - `maxRetries` 0..10, `maxTurns` 1..50, every duration in seconds 1..2592000 (30 days).
 * A loop that contains no `ask_question` and no `wait` step is rejected: nothing in it waits for
 * the customer or the clock, so a session entering it would never stop.
 */
import { InvalidDefinitionError, type DefinitionProblem } from '../errors.js';
import { findLoops } from './step.graph.js';
import type { WorkflowDefinition } from './workflow.events.js';

export const STEP_TYPES = [
  'send_message',
  'ask_question',
  'branch',
  'route_to_team',
  'invoke_ai_agent',
  'wait',
  'end',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const ANSWER_TYPES = ['text', 'number', 'email', 'phone', 'choice'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

export const CONDITION_OPERATORS = ['equals', 'not_equals', 'contains', 'exists', 'gt', 'lt'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const DEFINITION_LIMITS = {
  maxSteps: 500,
  maxTextLength: 4096,
  maxInstructionsLength: 8000,
  maxShortTextLength: 100,
  maxOptions: 10,
  maxBranches: 20,
  maxRetries: 10,
  maxAgentTurns: 50,
  maxSeconds: 2_592_000,
} as const;

export const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Texts sent to the customer accept `{{variable}}` and `{{contact.name}}` templates. */
export interface SendMessageStep {
  id: string;
  type: 'send_message';
  text: string;
  next?: string;
}

export interface ChoiceOption {
  label: string;
  /** Stored in the question's variable; the label when absent. */
  value?: string;
  /** Where a session goes when this option is chosen; the question's `next` when absent. */
  next?: string;
}

/**
 * Asks, then waits for the answer, which is stored in `variable`. An answer that does not fit
 * `answerType` (default `text`) is asked again with `retryText` up to `maxRetries` times (default
 * 2); after the last failed retry the session goes to `invalidNext`, or completes. Without an
 * answer within `timeoutSeconds` it goes to `timeoutNext`, or completes.
 */
export interface AskQuestionStep {
  id: string;
  type: 'ask_question';
  text: string;
  variable: string;
  answerType?: AnswerType;
  /** Only, and required, for `answerType: 'choice'`. */
  options?: ChoiceOption[];
  retryText?: string;
  maxRetries?: number;
  invalidNext?: string;
  timeoutSeconds?: number;
  /** Only together with `timeoutSeconds`. */
  timeoutNext?: string;
  next?: string;
}

/** `exists` needs no value, `gt` and `lt` compare numbers, the others strings or numbers. */
export type BranchCondition =
  | { variable: string; op: 'exists' }
  | { variable: string; op: 'gt' | 'lt'; value: number }
  | { variable: string; op: 'equals' | 'not_equals' | 'contains'; value: string | number };

export interface Branch {
  condition: BranchCondition;
  next: string;
}

/** Goes to the `next` of the first branch whose condition holds, else to `elseNext`. */
export interface BranchStep {
  id: string;
  type: 'branch';
  branches: Branch[];
  elseNext: string;
}

/** Hands the conversation to a team of humans; the session completes. */
export interface RouteToTeamStep {
  id: string;
  type: 'route_to_team';
  team: string;
  note?: string;
}

/** Lets an AI agent converse; when the agent cannot be reached, routes to `handoffTeam`. */
export interface InvokeAiAgentStep {
  id: string;
  type: 'invoke_ai_agent';
  instructions: string;
  handoffTeam: string;
  maxTurns?: number;
  next?: string;
}

/** Pauses the session on a durable timer. */
export interface WaitStep {
  id: string;
  type: 'wait';
  seconds: number;
  next?: string;
}

export interface EndStep {
  id: string;
  type: 'end';
}

export type StepDefinition =
  | SendMessageStep
  | AskQuestionStep
  | BranchStep
  | RouteToTeamStep
  | InvokeAiAgentStep
  | WaitStep
  | EndStep;

export interface WorkflowSettings {
  /** A session without activity for this long expires. */
  sessionTimeoutSeconds?: number;
}

/**
 * Checks `steps` and `settings` (default `{}`) as received from a caller and returns them as a
 * definition, deep-copied so that the caller's objects can change afterwards without effect.
 * Throws an InvalidDefinitionError listing every problem found.
 */
export function validateDefinition(steps: unknown, settings: unknown = {}): WorkflowDefinition {
  const findings = new Findings();
  checkSteps(steps, findings);
  checkSettings(settings, 'settings', findings.reporter());
  if (findings.problems.length > 0) throw new InvalidDefinitionError(findings.problems);
  return structuredClone({ steps, settings }) as WorkflowDefinition;
}

// ---- What a check finds ----

/** How problems and links name a step: its index, and its id when that is a string. */
interface StepRef {
  index: number;
  id: string | undefined;
}

/** A field naming a step to go to; resolved once every step id is known. */
interface Link {
  from: StepRef;
  path: string;
  target: string;
}

/** Where checks report to while looking at one place: a step, or the settings. */
interface Reporter {
  problem(path: string, message: string): void;
  link(path: string, target: string): void;
}

class Findings {
  readonly problems: DefinitionProblem[] = [];
  readonly links: Link[] = [];

  reporter(step?: StepRef): Reporter {
    return {
      problem: (path, message) => {
        this.problems.push(step?.id === undefined ? { path, message } : { path, stepId: step.id, message });
      },
      link: (path, target) => {
        if (step) this.links.push({ from: step, path, target });
      },
    };
  }
}

// ---- Checks for single values, composed into the step schemas ----

type Check = (value: unknown, path: string, report: Reporter) => void;
type JsonObject = { [field: string]: unknown };
type RecordRule = (value: JsonObject, path: string, report: Reporter) => void;

interface Field {
  check: Check;
  required: boolean;
}
type Fields = { [name: string]: Field };

const required = (check: Check): Field => ({ check, required: true });
const optional = (check: Check): Field => ({ check, required: false });

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text =
  (maxLength: number): Check =>
  (value, path, report) => {
    if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
      report.problem(path, `must be a string of 1 to ${maxLength} characters, not only whitespace`);
    }
  };

const matching =
  (pattern: RegExp): Check =>
  (value, path, report) => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      report.problem(path, `must match ${pattern.source}`);
    }
  };

const integer =
  (min: number, max: number): Check =>
  (value, path, report) => {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      report.problem(path, `must be an integer from ${min} to ${max}`);
    }
  };

const oneOf =
  (values: readonly string[]): Check =>
  (value, path, report) => {
    if (typeof value !== 'string' || !values.includes(value)) {
      report.problem(path, `must be one of ${values.join(', ')}`);
    }
  };

const listOf =
  (min: number, max: number, item: Check): Check =>
  (value, path, report) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      report.problem(path, `must be a list of ${min} to ${max} items`);
      return;
    }
    value.forEach((element, index) => item(element, `${path}[${index}]`, report));
  };

/** An object with exactly the given fields (`owner` names it in messages); `rule` checks how they combine. */
const record =
  (fields: Fields, owner: string, rule?: RecordRule): Check =>
  (value, path, report) => {
    if (!isJsonObject(value)) {
      report.problem(path, 'must be an object');
      return;
    }
    checkFields(value, path, fields, report);
    for (const name of Object.keys(value)) {
      if (!Object.hasOwn(fields, name)) report.problem(`${path}.${name}`, `is not a field of ${owner}`);
    }
    rule?.(value, path, report);
  };

/** Fields are absent when undefined; `null` is a value, and a wrong one. */
function checkFields(value: JsonObject, path: string, fields: Fields, report: Reporter): void {
  for (const [name, field] of Object.entries(fields)) {
    const fieldValue = Object.hasOwn(value, name) ? value[name] : undefined;
    if (fieldValue !== undefined) field.check(fieldValue, `${path}.${name}`, report);
    else if (field.required) report.problem(`${path}.${name}`, 'is required');
  }
}

const stepTarget: Check = (value, path, report) => {
  if (typeof value === 'string') report.link(path, value);
  else report.problem(path, 'must be the id of a step');
};

const conditionValue: Check = (value, path, report) => {
  const { maxTextLength } = DEFINITION_LIMITS;
  if (typeof value !== 'number' && !(typeof value === 'string' && value.length <= maxTextLength)) {
    report.problem(path, `must be a number or a string of at most ${maxTextLength} characters`);
  }
};

// ---- The step schemas ----

const longText = text(DEFINITION_LIMITS.maxTextLength);
const shortText = text(DEFINITION_LIMITS.maxShortTextLength);
const variable = matching(VARIABLE_PATTERN);
const seconds = integer(1, DEFINITION_LIMITS.maxSeconds);

const choiceOption = record(
  { label: required(shortText), value: optional(shortText), next: optional(stepTarget) },
  'choice options',
);

const condition = record(
  { variable: required(variable), op: required(oneOf(CONDITION_OPERATORS)), value: optional(conditionValue) },
  'conditions',
  ({ op, value }, path, report) => {
    if (!CONDITION_OPERATORS.includes(op as ConditionOperator)) return;
    const at = `${path}.value`;
    if (op === 'exists') {
      if (value !== undefined) report.problem(at, 'is not allowed with op exists');
    } else if (value === undefined) {
      report.problem(at, `is required with op ${op}`);
    } else if ((op === 'gt' || op === 'lt') && typeof value === 'string') {
      report.problem(at, `must be a number with op ${op}`);
    }
  },
);

const branch = record({ condition: required(condition), next: required(stepTarget) }, 'branches');

const STEP_FIELDS: { [Type in StepType]: Fields } = {
  send_message: { text: required(longText), next: optional(stepTarget) },
  ask_question: {
    text: required(longText),
    variable: required(variable),
    answerType: optional(oneOf(ANSWER_TYPES)),
    options: optional(listOf(1, DEFINITION_LIMITS.maxOptions, choiceOption)),
    retryText: optional(longText),
    maxRetries: optional(integer(0, DEFINITION_LIMITS.maxRetries)),
    invalidNext: optional(stepTarget),
    timeoutSeconds: optional(seconds),
    timeoutNext: optional(stepTarget),
    next: optional(stepTarget),
  },
  branch: {
    branches: required(listOf(1, DEFINITION_LIMITS.maxBranches, branch)),
    elseNext: required(stepTarget),
  },
  route_to_team: { team: required(shortText), note: optional(longText) },
  invoke_ai_agent: {
    instructions: required(text(DEFINITION_LIMITS.maxInstructionsLength)),
    handoffTeam: required(shortText),
    maxTurns: optional(integer(1, DEFINITION_LIMITS.maxAgentTurns)),
    next: optional(stepTarget),
  },
  wait: { seconds: required(seconds), next: optional(stepTarget) },
  end: {},
};

const STEP_RULES: { [Type in StepType]?: RecordRule } = {
  ask_question: (step, path, report) => {
    const isChoice = step.answerType === 'choice';
    if (isChoice && step.options === undefined) {
      report.problem(`${path}.options`, 'is required when answerType is choice');
    }
    if (!isChoice && step.options !== undefined) {
      report.problem(`${path}.options`, 'is only allowed when answerType is choice');
    }
    if (step.timeoutNext !== undefined && step.timeoutSeconds === undefined) {
      report.problem(`${path}.timeoutNext`, 'is only allowed together with timeoutSeconds');
    }
  },
};

const COMMON_FIELDS: Fields = {
  id: required(matching(STEP_ID_PATTERN)),
  type: required(oneOf(STEP_TYPES)),
};

const isStepType = (value: unknown): value is StepType => STEP_TYPES.includes(value as StepType);

const STEP_CHECKS = Object.fromEntries(
  STEP_TYPES.map((type) => {
    const fields = { ...COMMON_FIELDS, ...STEP_FIELDS[type] };
    return [type, record(fields, `${type} steps`, STEP_RULES[type])];
  }),
) as { [Type in StepType]: Check };

/** Steps that wait for the customer or the clock: a loop through one of them is not endless. */
const PAUSING_STEP_TYPES: ReadonlySet<StepType | undefined> = new Set<StepType>(['ask_question', 'wait']);
const pauses = (node: StepNode): boolean => PAUSING_STEP_TYPES.has(node.type);

/** Step types after which the session goes on to `next`, by default the following step. */
const takesNext = (type: StepType): boolean => Object.hasOwn(STEP_FIELDS[type], 'next');

// ---- Checking a whole definition ----

/** What the target and loop checks need to know of a step. */
interface StepNode extends StepRef {
  type: StepType | undefined;
  /** The following step, when the session goes there for want of a `next`. */
  defaultNext: number | undefined;
}

function checkSteps(steps: unknown, findings: Findings): void {
  const report = findings.reporter();
  if (!Array.isArray(steps)) return report.problem('steps', 'must be an array of steps');
  if (steps.length > DEFINITION_LIMITS.maxSteps) {
    return report.problem('steps', `must hold at most ${DEFINITION_LIMITS.maxSteps} steps, not ${steps.length}`);
  }
  const nodes = steps.map((step: unknown, index) => checkStep(step, index, steps.length, findings));
  const indexById = indexStepIds(nodes, findings);
  const successors = resolveLinks(nodes, indexById, findings);
  reportEndlessLoops(nodes, successors, findings);
}

function checkStep(step: unknown, index: number, stepCount: number, findings: Findings): StepNode {
  const path = `steps[${index}]`;
  const id = isJsonObject(step) && typeof step.id === 'string' ? step.id : undefined;
  const node: StepNode = { index, id, type: undefined, defaultNext: undefined };
  const report = findings.reporter(node);
  if (!isJsonObject(step)) {
    report.problem(path, 'must be an object');
    return node;
  }
  if (!isStepType(step.type)) {
    // Of a step of unknown type only the common fields can be checked.
    checkFields(step, path, COMMON_FIELDS, report);
    return node;
  }
  STEP_CHECKS[step.type](step, path, report);
  const followsOn = takesNext(step.type) && step.next === undefined && index + 1 < stepCount;
  return { ...node, type: step.type, defaultNext: followsOn ? index + 1 : undefined };
}

/** Maps each id to the first step that has it, reporting the steps that repeat it. */
function indexStepIds(nodes: StepNode[], findings: Findings): Map<string, number> {
  const indexById = new Map<string, number>();
  for (const node of nodes) {
    if (node.id === undefined) continue;
    const firstIndex = indexById.get(node.id);
    if (firstIndex === undefined) indexById.set(node.id, node.index);
    else findings.reporter(node).problem(`steps[${node.index}].id`, `duplicates the id of steps[${firstIndex}]`);
  }
  return indexById;
}

/** Reports links to unknown steps; returns, per step, the steps a session can go to from it. */
function resolveLinks(nodes: StepNode[], indexById: Map<string, number>, findings: Findings): number[][] {
  const successors = nodes.map(({ defaultNext }) => (defaultNext === undefined ? [] : [defaultNext]));
  for (const { from, path, target } of findings.links) {
    const targetIndex = indexById.get(target);
    if (targetIndex === undefined) findings.reporter(from).problem(path, `points at unknown step "${target}"`);
    else successors[from.index].push(targetIndex);
  }
  return successors;
}

function reportEndlessLoops(nodes: StepNode[], successors: number[][], findings: Findings): void {
  // Once the ways out of pausing steps are cut, every loop left is one that never pauses.
  const withoutPauses = successors.map((next, index) => (pauses(nodes[index]) ? [] : next));
  const describe = ({ id, index }: StepNode): string => (id === undefined ? `steps[${index}]` : `"${id}"`);
  for (const loop of findLoops(withoutPauses)) {
    const ids = loop.map((index) => describe(nodes[index])).join(', ');
    const problem = `is in a loop of steps ${ids} with no ask_question or wait step, so a session would never stop`;
    findings.reporter(nodes[loop[0]]).problem(`steps[${loop[0]}]`, problem);
  }
}

const checkSettings = record({ sessionTimeoutSeconds: optional(seconds) }, 'settings');
