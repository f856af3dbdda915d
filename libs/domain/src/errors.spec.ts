import { describe, expect, it } from '@jest/globals';
import {
  DomainError,
  InvalidDefinitionError,
  ValidationError,
  WorkflowAlreadyExistsError,
  WorkflowNotFoundError,
  WorkflowVersionConflictError,
} from './errors.js';

describe('domain errors', () => {
  it.each([
    [new ValidationError('name', 'is required'), 'invalid', 'ValidationError', 'name is required'],
    [
      new InvalidDefinitionError([
        { path: 'steps', message: 'must be an array of steps' },
        { path: 'steps[1].next', stepId: 'ask', message: 'points at unknown step "x"' },
      ]),
      'invalid',
      'InvalidDefinitionError',
      'Invalid workflow definition: steps must be an array of steps; steps[1].next (step "ask") points at unknown step "x"',
    ],
    [new WorkflowNotFoundError('wf-1'), 'not_found', 'WorkflowNotFoundError', 'Workflow wf-1 not found'],
    [new WorkflowAlreadyExistsError('wf-1'), 'conflict', 'WorkflowAlreadyExistsError', 'Workflow wf-1 already exists'],
    [
      new WorkflowVersionConflictError('wf-1', 3, 5),
      'conflict',
      'WorkflowVersionConflictError',
      'Workflow wf-1 is at version 5, not at the expected version 3',
    ],
  ])('%s has kind %s', (error, kind, name, message) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.kind).toBe(kind);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
  });
});
