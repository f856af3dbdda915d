/**
 * The flow definition: the step types a workflow is made of, and the validation that a published
 * definition must pass. The zod schemas below are the one source of the step shapes: the
 * TypeScript types are inferred from them, validation parses with them, and the JSON Schema that
 * the API documents and the console builds its step forms from is generated from them.
 *
 * A step runs, then the session moves to its `next` step — by default the following one; after
 * the last step the session completes. `end` and `route_to_team` finish the session and take no
 * `next`; `branch` picks a target from its `branches`, falling back to `elseNext`.
 *
 * The schema is strict: a field that a step type does not define is rejected rather than ignored,
 * so a typo (`nxt`) cannot silently change a flow. Limits, chosen to keep definitions small enough
 * to load, validate and render at once while leaving room for real flows:
 * - 1 to 500 steps (a new workflow has none, but publishing none would complete every session at
 *   once without a word to the customer, which is never what an admin means); step ids match `^[A-Za-z0-9_-]{1,64}$` and are unique;
 * - texts (messages, questions, retry texts, notes) are 1..4096 characters, not only whitespace;
 *   AI agent instructions 1..8000; team names, choice labels and values 1..100;
 * - `variable` matches `^[A-Za-z_][A-Za-z0-9_]{0,63}$`;
 * - a choice question has 1..10 options, a branch step 1..20 branches;
 * - `maxRetries` 0..10, `maxTurns` 1..50, every duration in seconds 1..2592000 (30 days).
 * A loop that contains no `ask_question` and no `wait` step is rejected: nothing in it waits for
 * the customer or the clock, so a session entering it would never stop.
 */
import { z } from 'zod';
import { InvalidDefinitionError, type DefinitionProblem } from '../errors.js';
import { quotedInput } from '../quoted-input.js';
import { hasUnclosedPlaceholder } from '../session/template.js';
import { findLoops } from './step.graph.js';
import { integer, isStepTarget, listOf, matching, oneOf, record, STEP_TARGET_RULE, stepTarget, text } from './step.fields.js';
import type { WorkflowDefinition } from './workflow.events.js';

export const STEP_TYPES = ['send_message', 'ask_question', 'branch', 'route_to_team', 'invoke_ai_agent', 'wait', 'end'] as const;
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

// ---- Fields shared by several step types ----

const { maxTextLength, maxShortTextLength, maxSeconds } = DEFINITION_LIMITS;
const TEMPLATES =
  'Accepts {{variable}} and {{contact.name}} templates; {{contact.name | there}} shows "there" where there is no value (web chat sends no names).';
/** A text the customer is sent, its placeholders rendered: one left open would reach them as it is. */
const customerText = (description: string) =>
  text(maxTextLength, `${description} ${TEMPLATES}`).refine((value) => !hasUnclosedPlaceholder(value), {
    message: 'has a {{ that no }} closes',
  });

const nextStep = stepTarget(
  'The step to go to next; by default the following step, and after the last step the session completes.',
).optional();
const stepId = matching(
  STEP_ID_PATTERN,
  'must be 1 to 64 letters, digits, _ or -',
  'Unique in the flow; other steps go to this one by naming it.',
);
const variableName = (description: string) =>
  matching(VARIABLE_PATTERN, 'must be 1 to 64 letters, digits or _, not starting with a digit', description);

// ---- Branch conditions ----

const conditionOf = <Op extends ConditionOperator, Shape extends z.ZodRawShape>(op: Op, title: string, shape: Shape) =>
  record(
    {
      variable: variableName('The variable to test, as a question stored it.'),
      op: z.literal(op).describe('How the variable is tested.'),
      ...shape,
    },
    `conditions with op ${op}`,
  ).meta({ title });

const numberToCompare = (op: 'gt' | 'lt') =>
  z
    .number({ error: ({ input }) => (input === undefined ? `is required with op ${op}` : `must be a number with op ${op}`) })
    .describe('The number the variable is compared with; a variable that is not a number never matches.');

const valueToCompare = (op: 'equals' | 'not_equals' | 'contains') => {
  const message = `must be a number or a string of at most ${maxTextLength} characters`;
  return z
    .union([z.number(), z.string().max(maxTextLength, message)], {
      error: ({ input }) => (input === undefined ? `is required with op ${op}` : message),
    })
    .describe('The value the variable is compared with, as text; contains ignores case.');
};

/** `exists` needs no value, `gt` and `lt` compare numbers, the others strings or numbers. */
export const branchConditionSchema = z
  .discriminatedUnion(
    'op',
    [
      conditionOf('equals', 'Equals', { value: valueToCompare('equals') }),
      conditionOf('not_equals', 'Does not equal', { value: valueToCompare('not_equals') }),
      conditionOf('contains', 'Contains', { value: valueToCompare('contains') }),
      conditionOf('exists', 'Has a value', {}),
      conditionOf('gt', 'Greater than', { value: numberToCompare('gt') }),
      conditionOf('lt', 'Less than', { value: numberToCompare('lt') }),
    ],
    {
      error: (issue) => {
        if (issue.code !== 'invalid_union') return issue.input === undefined ? 'is required' : 'must be an object';
        // No variant matched `op`: the input is the condition itself.
        const op = (issue.input as { op?: unknown }).op;
        return op === undefined ? 'is required' : `must be one of ${CONDITION_OPERATORS.join(', ')}`;
      },
    },
  )
  .describe('When the branch is taken.');
export type BranchCondition = z.output<typeof branchConditionSchema>;

export const branchSchema = record(
  { condition: branchConditionSchema, next: stepTarget('Where a session goes when the condition holds.') },
  'branches',
);
export type Branch = z.output<typeof branchSchema>;

// ---- The step types ----

const stepOf = <Type extends StepType, Shape extends z.ZodRawShape>(
  type: Type,
  about: { title: string; description: string },
  shape: Shape,
) =>
  record(
    {
      id: stepId,
      type: z.literal(type).describe('The step type.'),
      ...shape,
    },
    `${type} steps`,
  ).meta(about);

export const sendMessageStepSchema = stepOf(
  'send_message',
  { title: 'Send message', description: 'Sends a message to the customer and goes on at once.' },
  { text: customerText('The message.'), next: nextStep },
);
export type SendMessageStep = z.output<typeof sendMessageStepSchema>;

export const choiceOptionSchema = record(
  {
    label: text(maxShortTextLength, 'What the customer sees and picks.'),
    value: text(maxShortTextLength, "Stored in the question's variable; the label when absent.").optional(),
    next: stepTarget("Where a session goes when this option is chosen; the question's next when absent.").optional(),
  },
  'choice options',
);
export type ChoiceOption = z.output<typeof choiceOptionSchema>;

/** How an answer is compared with an option's label or value: trimmed, in any case. */
export const answerKey = (text: string): string => text.trim().toLowerCase();

/**
 * Asks, then waits for the answer, which is stored in `variable`. An answer that does not fit
 * `answerType` (default `text`) is asked again with `retryText` up to `maxRetries` times (default
 * 2); after the last failed retry the session goes to `invalidNext`, or completes. Without an
 * answer within `timeoutSeconds` it goes to `timeoutNext`, or completes.
 */
export const askQuestionStepSchema = stepOf(
  'ask_question',
  {
    title: 'Ask question',
    description: 'Asks the customer, waits for the answer and stores it in a variable.',
  },
  {
    text: customerText('The question.'),
    variable: variableName('Where the answer is stored, for templates and branches to use.'),
    answerType: oneOf(ANSWER_TYPES, 'What an answer must be (default text); one that does not fit is asked again.').optional(),
    // On the list itself, not the step: a step's own rule is skipped once another of its fields is
    // refused outright (an integer that is not one), and every problem should be reported at once.
    options: listOf(choiceOptionSchema, 1, DEFINITION_LIMITS.maxOptions, 'The choices; only, and required, for answerType choice.')
      .superRefine((options, context) => {
        // An answer names its option by label or value, and a button or quick reply carries the value
        // back: a name one option shares with another, in either field, always chooses the first.
        const named = new Map<string, { index: number; field: 'label' | 'value' }>();
        options.forEach((option, index) => {
          const names: ['label' | 'value', string][] = [['label', option.label]];
          if (option.value !== undefined) names.push(['value', option.value]);
          for (const [field, name] of names) {
            const key = answerKey(name);
            const first = named.get(key);
            if (first === undefined) named.set(key, { index, field });
            else if (first.index !== index)
              context.addIssue({
                code: 'custom',
                path: [index, field],
                message: `repeats the ${first.field} of option ${first.index + 1}: the customer could not choose this one`,
                input: options,
              });
          }
        });
      })
      .optional(),
    retryText: customerText('Asked again after an answer that does not fit.').optional(),
    maxRetries: integer(
      0,
      DEFINITION_LIMITS.maxRetries,
      'How many times an answer that does not fit is asked again (default 2).',
    ).optional(),
    invalidNext: stepTarget('Where a session goes after the last failed retry; by default it completes.').optional(),
    timeoutSeconds: integer(
      1,
      maxSeconds,
      'How long to wait for an answer, in seconds; by default as long as the session lasts.',
    ).optional(),
    timeoutNext: stepTarget(
      'Where a session goes when no answer comes in time; by default it completes. Only with timeoutSeconds.',
    ).optional(),
    next: nextStep,
  },
).superRefine(
  (step, context) => {
    const problem = (path: string | (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path: typeof path === 'string' ? [path] : path, message, input: step });
    const isChoice = step.answerType === 'choice';
    if (isChoice && step.options === undefined) problem('options', 'is required when answerType is choice');
    if (!isChoice && step.options !== undefined) problem('options', 'is only allowed when answerType is choice');
    if (step.timeoutNext !== undefined && step.timeoutSeconds === undefined) {
      problem('timeoutNext', 'is only allowed together with timeoutSeconds');
    }
  },
  // Also when a field is wrong, so that every problem is reported at once; only the object must be one.
  { when: ({ value }) => isJsonObject(value) },
);
export type AskQuestionStep = z.output<typeof askQuestionStepSchema>;

/** Goes to the `next` of the first branch whose condition holds, else to `elseNext`. */
export const branchStepSchema = stepOf(
  'branch',
  { title: 'Branch', description: 'Goes one way or another depending on the variables collected so far.' },
  {
    branches: listOf(branchSchema, 1, DEFINITION_LIMITS.maxBranches, 'Tried in order; the first whose condition holds is taken.'),
    elseNext: stepTarget('Where a session goes when no condition holds.'),
  },
);
export type BranchStep = z.output<typeof branchStepSchema>;

/** Hands the conversation to a team of humans; the session completes. */
export const routeToTeamStepSchema = stepOf(
  'route_to_team',
  { title: 'Route to team', description: 'Hands the conversation to a team of humans; the session completes.' },
  {
    team: text(maxShortTextLength, 'The team that takes the conversation over.'),
    note: text(maxTextLength, 'For the team: why the conversation comes to them.').optional(),
  },
);
export type RouteToTeamStep = z.output<typeof routeToTeamStepSchema>;

/**
 * Lets an AI agent converse; when the agent cannot be reached, routes to `handoffTeam`, telling
 * the customer `handoffText` if the step has one: the flow has no step of its own for that moment.
 */
export const invokeAiAgentStepSchema = stepOf(
  'invoke_ai_agent',
  {
    title: 'Invoke AI agent',
    description: 'Lets an AI agent converse with the customer; when it cannot be reached, hands over to a team.',
  },
  {
    instructions: text(DEFINITION_LIMITS.maxInstructionsLength, 'What the agent is to do, and how.'),
    handoffTeam: text(maxShortTextLength, 'The team that takes over when the agent cannot be reached.'),
    handoffText: customerText(
      'Sent to the customer as the team takes over (the agent unreachable, or asking for humans); without it the customer is told nothing.',
    ).optional(),
    maxTurns: integer(
      1,
      DEFINITION_LIMITS.maxAgentTurns,
      "How many replies the agent may give (default 5). The customer's message after the last one is not sent to the agent: the flow goes on to the next step.",
    ).optional(),
    next: nextStep,
  },
);
export type InvokeAiAgentStep = z.output<typeof invokeAiAgentStepSchema>;

/** Pauses the session on a durable timer. */
export const waitStepSchema = stepOf(
  'wait',
  { title: 'Wait', description: 'Pauses the session for a while, on a timer that survives restarts.' },
  { seconds: integer(1, maxSeconds, 'How long to wait, in seconds (at most 30 days).'), next: nextStep },
);
export type WaitStep = z.output<typeof waitStepSchema>;

export const endStepSchema = stepOf('end', { title: 'End', description: 'Completes the session.' }, {});
export type EndStep = z.output<typeof endStepSchema>;

/** The schema of each step type: a step type without one does not compile. */
export const STEP_SCHEMAS = {
  send_message: sendMessageStepSchema,
  ask_question: askQuestionStepSchema,
  branch: branchStepSchema,
  route_to_team: routeToTeamStepSchema,
  invoke_ai_agent: invokeAiAgentStepSchema,
  wait: waitStepSchema,
  end: endStepSchema,
} as const satisfies { [Type in StepType]: z.ZodObject<{ type: z.ZodLiteral<Type> } & z.ZodRawShape> };

const [firstStepSchema, ...otherStepSchemas] = STEP_TYPES.map((type): (typeof STEP_SCHEMAS)[StepType] => STEP_SCHEMAS[type]);
/** Any step, told apart by its `type`, in the order of STEP_TYPES. */
export const stepSchema = z.discriminatedUnion('type', [firstStepSchema, ...otherStepSchemas]);
export type StepDefinition = z.output<typeof stepSchema>;

export const workflowSettingsSchema = record(
  {
    sessionTimeoutSeconds: integer(
      1,
      maxSeconds,
      'A session without activity for this long, in seconds, expires (default 1 day).',
    ).optional(),
  },
  'settings',
).meta({ title: 'Settings' });
export type WorkflowSettings = z.output<typeof workflowSettingsSchema>;

/**
 * Checks `steps` and `settings` (default `{}`) as received from a caller and returns them as a
 * definition, deep-copied so that the caller's objects can change afterwards without effect.
 * Throws an InvalidDefinitionError listing every problem found.
 */
export function validateDefinition(steps: unknown, settings: unknown = {}): WorkflowDefinition {
  const findings = new Findings();
  checkSteps(steps, findings);
  findings.parse(workflowSettingsSchema, settings, 'settings');
  if (findings.problems.length > 0) throw new InvalidDefinitionError(findings.problems);
  // Valid, so the input is the definition: strict schemas drop nothing and transform nothing.
  return structuredClone({ steps, settings }) as WorkflowDefinition;
}

// ---- What a check finds ----

type JsonObject = { [field: string]: unknown };

const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

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

const pathOf = (base: string, segments: readonly PropertyKey[]): string =>
  segments.reduce<string>((path, segment) => (typeof segment === 'number' ? `${path}[${segment}]` : `${path}.${String(segment)}`), base);

class Findings {
  readonly problems: DefinitionProblem[] = [];
  readonly links: Link[] = [];

  problem(path: string, message: string, step?: StepRef): void {
    // An id too long to repeat is left out: the path's index still tells the step.
    const problem = step?.id === undefined || quotedInput(step.id) !== step.id ? { path, message } : { path, stepId: step.id, message };
    // A value can break several rules with one message (an empty text is too short and blank).
    if (!this.problems.some((known) => known.path === path && known.message === message)) this.problems.push(problem);
  }

  /** Parses `value` at `path`, reporting each issue with its own path; unknown fields one by one. */
  parse(schema: z.ZodType, value: unknown, path: string, step?: StepRef): void {
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) {
      const at = pathOf(path, issue.path);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.problem(`${at}.${quotedInput(key)}`, issue.message, step);
      } else {
        this.problem(at, issue.message, step);
      }
    }
  }

  /** Records the step targets that `value` holds where `schema` expects them, for resolving later. */
  collectLinks(schema: z.core.$ZodType, value: unknown, path: string, from: StepRef): void {
    if (schema instanceof z.ZodOptional) return this.collectLinks(schema.unwrap(), value, path, from);
    if (isStepTarget(schema)) {
      // A target that is not a string is a problem the parse has reported.
      if (typeof value === 'string') this.links.push({ from, path, target: value });
    } else if (schema instanceof z.ZodObject && isJsonObject(value)) {
      for (const [field, fieldSchema] of Object.entries(schema.shape)) {
        if (Object.hasOwn(value, field)) this.collectLinks(fieldSchema as z.ZodType, value[field], `${path}.${field}`, from);
      }
    } else if (schema instanceof z.ZodArray && Array.isArray(value)) {
      value.forEach((item, index) => this.collectLinks(schema.element, item, `${path}[${index}]`, from));
    }
  }
}

// ---- Checking a whole definition ----

/** What is checked of a step whose type is unknown: its id, and the type's being one of STEP_TYPES. */
const stepOfUnknownType = z.object({ id: stepId, type: oneOf(STEP_TYPES, 'The step type.') });

const isStepType = (value: unknown): value is StepType => STEP_TYPES.includes(value as StepType);

/** Steps that wait for the customer or the clock: a loop through one of them is not endless. */
const PAUSING_STEP_TYPES: ReadonlySet<StepType | undefined> = new Set<StepType>(['ask_question', 'wait']);
const pauses = (node: StepNode): boolean => PAUSING_STEP_TYPES.has(node.type);

/** Step types after which the session goes on to `next`, by default the following step. */
const takesNext = (type: StepType): boolean => Object.hasOwn(STEP_SCHEMAS[type].shape, 'next');

/** What the target and loop checks need to know of a step. */
interface StepNode extends StepRef {
  type: StepType | undefined;
  /** The following step, when the session goes there for want of a `next`. */
  defaultNext: number | undefined;
}

function checkSteps(steps: unknown, findings: Findings): void {
  if (!Array.isArray(steps)) return findings.problem('steps', 'must be an array of steps');
  if (steps.length === 0) return findings.problem('steps', 'must hold at least one step');
  if (steps.length > DEFINITION_LIMITS.maxSteps) {
    return findings.problem('steps', `must hold at most ${DEFINITION_LIMITS.maxSteps} steps, not ${steps.length}`);
  }
  const nodes = steps.map((step: unknown, index) => checkStep(step, index, steps.length, findings));
  const indexById = indexStepIds(nodes, findings);
  const successors = resolveLinks(nodes, indexById, findings);
  reportEndlessLoops(nodes, successors, findings);
}

/** What `stepSchema` does, dispatching on `type`; a step of unknown type still has its id checked. */
function checkStep(step: unknown, index: number, stepCount: number, findings: Findings): StepNode {
  const path = `steps[${index}]`;
  const id = isJsonObject(step) && typeof step.id === 'string' ? step.id : undefined;
  const node: StepNode = { index, id, type: undefined, defaultNext: undefined };
  if (!isJsonObject(step)) {
    findings.problem(path, 'must be an object', node);
    return node;
  }
  if (!isStepType(step.type)) {
    findings.parse(stepOfUnknownType, step, path, node);
    return node;
  }
  const schema = STEP_SCHEMAS[step.type];
  findings.parse(schema, step, path, node);
  findings.collectLinks(schema, step, path, node);
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
    else findings.problem(`steps[${node.index}].id`, `duplicates the id of steps[${firstIndex}]`, node);
  }
  return indexById;
}

/** Reports links to unknown steps; returns, per step, the steps a session can go to from it. */
function resolveLinks(nodes: StepNode[], indexById: Map<string, number>, findings: Findings): number[][] {
  const successors = nodes.map(({ defaultNext }) => (defaultNext === undefined ? [] : [defaultNext]));
  for (const { from, path, target } of findings.links) {
    const targetIndex = indexById.get(target);
    if (targetIndex !== undefined) successors[from.index].push(targetIndex);
    else if (target === '') findings.problem(path, STEP_TARGET_RULE, from);
    else findings.problem(path, `points at unknown step "${quotedInput(target)}"`, from);
  }
  return successors;
}

function reportEndlessLoops(nodes: StepNode[], successors: number[][], findings: Findings): void {
  // Once the ways out of pausing steps are cut, every loop left is one that never pauses.
  const withoutPauses = successors.map((next, index) => (pauses(nodes[index]) ? [] : next));
  const describe = ({ id, index }: StepNode): string => (id === undefined || quotedInput(id) !== id ? `steps[${index}]` : `"${id}"`);
  for (const loop of findLoops(withoutPauses)) {
    const ids = loop.map((index) => describe(nodes[index])).join(', ');
    const problem = `is in a loop of steps ${ids} with no ask_question or wait step, so a session would never stop`;
    findings.problem(`steps[${loop[0]}]`, problem, nodes[loop[0]]);
  }
}
