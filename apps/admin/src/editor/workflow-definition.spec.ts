import { describe, expect, it } from '@jest/globals';
import { stepTypeCatalog } from '#domain';
import { flattenSchema, type JsonSchema } from './step-types.js';
import {
  linksOf,
  refusedProblems,
  removeStep,
  renameStep,
  standingProblems,
  type Step,
  stepsNotReached,
  writePath,
} from './workflow-definition.js';

const QUESTION: Step = {
  id: 'ask',
  type: 'ask_question',
  text: 'Which?',
  variable: 'pick',
  answerType: 'choice',
  options: [{ label: 'Yes', next: 'yes' }, { label: 'No' }],
  invalidNext: 'human',
  timeoutSeconds: 60,
  timeoutNext: 'bye',
  next: 'yes',
};
const BRANCH: Step = {
  id: 'check',
  type: 'branch',
  branches: [{ condition: { variable: 'pick', op: 'equals', value: 'Yes' }, next: 'yes' }],
  elseNext: 'human',
};

describe('the editor’s view of a definition', () => {
  it('finds every link of a step, labelled as the canvas shows it', () => {
    expect(linksOf(QUESTION).map(({ target, label }) => [target, label])).toEqual([
      ['yes', 'Yes'],
      ['human', 'invalid'],
      ['bye', 'timeout'],
      ['yes', undefined],
    ]);
    expect(linksOf(BRANCH).map(({ target, label, path }) => [target, label, path])).toEqual([
      ['yes', 'pick equals Yes', ['branches', 0, 'next']],
      ['human', 'else', ['elseNext']],
    ]);
  });

  it('renames a step with every link to it, and removes a step with every link to it', () => {
    const steps = [QUESTION, BRANCH, { id: 'yes', type: 'end' }];
    const renamed = renameStep(steps, 'yes', 'confirmed');
    expect(renamed[2]).toEqual({ id: 'confirmed', type: 'end' });
    expect(renamed[0]).toMatchObject({ next: 'confirmed', options: [{ label: 'Yes', next: 'confirmed' }, { label: 'No' }] });
    expect(renamed[1]).toMatchObject({ branches: [{ next: 'confirmed' }] });
    const removed = removeStep(steps, 'yes');
    expect(removed).toHaveLength(2);
    expect(removed[0]).not.toHaveProperty('next');
    expect(removed[0].options).toEqual([{ label: 'Yes' }, { label: 'No' }]);
  });

  it('writes a field by its path without touching the original, and removes it with undefined', () => {
    const written = writePath(BRANCH, ['branches', 0, 'next'], 'bye');
    expect((written.branches as { next: string }[])[0].next).toBe('bye');
    expect((BRANCH.branches as { next: string }[])[0].next).toBe('yes');
    expect(writePath(QUESTION, ['next'], undefined)).not.toHaveProperty('next');
  });

  it('finds the steps no path from the first one reaches, through loops and links to steps that do not exist', () => {
    const link = (source: string, target: string) => ({ source, target });
    const steps = ['start', 'ask', 'loop', 'orphan', 'after-orphan'].map((id) => ({ id, type: 'send_message' }));
    const links = [link('start', 'ask'), link('ask', 'loop'), link('loop', 'ask'), link('ask', 'gone'), link('orphan', 'after-orphan')];
    expect(stepsNotReached(steps, links)).toEqual(new Set(['orphan', 'after-orphan']));
    expect(stepsNotReached(steps, [...links, link('loop', 'orphan')])).toEqual(new Set());
    expect(stepsNotReached([], [])).toEqual(new Set());
  });

  it('ties each problem of a 400 to its step, by id or by the index in its path', () => {
    const problems = [
      { path: 'steps[0].variable', stepId: 'ask', message: 'must match x' },
      { path: 'steps[1].elseNext', message: 'is required' },
      { path: 'settings.sessionTimeoutSeconds', message: 'must be an integer' },
    ];
    expect(refusedProblems(problems, { steps: [QUESTION, BRANCH], settings: {} })).toEqual([
      { path: 'steps[0].variable', stepId: 'ask', message: 'must match x', sent: '"pick"' },
      { path: 'steps[1].elseNext', stepId: 'check', message: 'is required', sent: '"human"' },
      { path: 'settings.sessionTimeoutSeconds', message: 'must be an integer', sent: 'absent' },
    ]);
  });

  describe('keeps a refused problem until what it is about changes', () => {
    const sent = { steps: [QUESTION, BRANCH], settings: { sessionTimeoutSeconds: 0 } };
    const refused = refusedProblems(
      [
        { path: 'steps[0].options[1].next', stepId: 'ask', message: 'must be the id of a step' },
        { path: 'steps[1]', stepId: 'check', message: 'loops without a question or wait' },
        { path: 'settings.sessionTimeoutSeconds', message: 'must be an integer from 1' },
        { path: 'steps', message: 'must hold at most 500 steps' },
      ],
      sent,
    );
    const standingPaths = (draft: typeof sent) => standingProblems(refused, draft).map((problem) => problem.path);

    it('all of them while nothing changed', () => {
      expect(standingPaths({ ...sent })).toEqual(refused.map((problem) => problem.path));
    });

    it('not one whose field changed, however deep, while its neighbours stay', () => {
      const mended = writePath(QUESTION, ['options', 1, 'next'], 'bye');
      expect(standingPaths({ ...sent, steps: [mended, BRANCH] })).toEqual(['steps[1]', 'settings.sessionTimeoutSeconds']);
      const otherOption = writePath(QUESTION, ['options', 0, 'label'], 'Sure');
      expect(standingPaths({ ...sent, steps: [otherOption, BRANCH] })).toEqual([
        'steps[0].options[1].next',
        'steps[1]',
        'settings.sessionTimeoutSeconds',
      ]);
    });

    it('not one of a whole step that changed, but still one of a step only renamed', () => {
      const changed = { ...BRANCH, elseNext: 'bye' };
      expect(standingPaths({ ...sent, steps: [QUESTION, changed] })).not.toContain('steps[1]');
      const renamed = [QUESTION, { ...BRANCH, id: 'check_2' }];
      const tiedToNewName = refused.map((problem) => (problem.stepId === 'check' ? { ...problem, stepId: 'check_2' } : problem));
      expect(standingProblems(tiedToNewName, { ...sent, steps: renamed }).map((problem) => problem.path)).toContain('steps[1]');
    });

    it('not one of a deleted step, nor a setting changed, nor one of the whole flow once a step changed', () => {
      const steps = removeStep(sent.steps, 'check');
      expect(standingPaths({ steps, settings: { sessionTimeoutSeconds: 60 } })).toEqual(['steps[0].options[1].next']);
    });
  });

  it('reads the served branch condition (one variant per operator) as one form with titled operators', () => {
    const branch = stepTypeCatalog().items.find((item) => item.type === 'branch')!.schema as JsonSchema;
    const condition = flattenSchema(flattenSchema(branch.properties!.branches.items!).properties!.condition);
    expect(Object.keys(condition.properties!)).toEqual(['variable', 'op', 'value']);
    expect(condition.required).toEqual(['variable', 'op']);
    expect(condition.properties!.op.enum).toEqual(['equals', 'not_equals', 'contains', 'exists', 'gt', 'lt']);
    expect(condition.properties!.op.enumTitles).toMatchObject({ exists: 'Has a value', gt: 'Greater than' });
    expect(flattenSchema(condition.properties!.value).type).toEqual(['number', 'string']);
  });
});
