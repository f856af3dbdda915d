/** Which way a `branch` step sends a session, given the variables it has collected. */
import type { BranchCondition, BranchStep } from '../workflow/step.schema.js';
import { asNumber, variableValue, type SessionVariables } from './variables.js';

/** The `next` of the first branch whose condition holds, else the step's `elseNext`. */
export const chooseBranch = (step: BranchStep, variables: SessionVariables): string =>
  step.branches.find(({ condition }) => conditionHolds(condition, variables))?.next ?? step.elseNext;

/**
 * `equals` and `not_equals` compare exactly, as strings (a number answer of 3 equals "3"); an
 * unset variable equals nothing. `contains` ignores case. `exists` wants a non-empty value.
 * `gt` and `lt` compare numbers and fail when the variable is not one.
 */
export function conditionHolds(condition: BranchCondition, variables: SessionVariables): boolean {
  const actual = variableValue(variables, condition.variable);
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && String(actual) !== '';
    case 'equals':
      return actual !== undefined && String(actual) === String(condition.value);
    case 'not_equals':
      return actual === undefined || String(actual) !== String(condition.value);
    case 'contains':
      return actual !== undefined && String(actual).toLowerCase().includes(String(condition.value).toLowerCase());
    case 'gt':
    case 'lt': {
      const number = asNumber(actual);
      if (number === undefined) return false;
      return condition.op === 'gt' ? number > condition.value : number < condition.value;
    }
  }
}
