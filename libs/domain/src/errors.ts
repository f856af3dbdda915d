/**
 * Failures the domain reports. Each carries a `kind` so that the HTTP layer can map it to a status
 * without knowing every class: `invalid` → 400, `not_found` → 404, `conflict` → 409.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A single input field is unusable; the message starts with the field's name. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/** One thing wrong with a flow definition: where it is (`steps[2].next`), in which step, and what. */
export interface DefinitionProblem {
  path: string;
  stepId?: string;
  message: string;
}

export const describeDefinitionProblem = ({ path, stepId, message }: DefinitionProblem): string =>
  stepId === undefined ? `${path} ${message}` : `${path} (step "${stepId}") ${message}`;

/** A flow definition was rejected; it lists every problem found, not only the first. */
export class InvalidDefinitionError extends DomainError {
  readonly kind = 'invalid';

  constructor(readonly problems: readonly DefinitionProblem[]) {
    super(`Invalid workflow definition: ${problems.map(describeDefinitionProblem).join('; ')}`);
  }
}

/** Unknown, deleted, or belonging to another workspace: callers must not be able to tell which. */
export class WorkflowNotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(readonly workflowId: string) {
    super(`Workflow ${workflowId} not found`);
  }
}

export class WorkflowAlreadyExistsError extends DomainError {
  readonly kind = 'conflict';

  constructor(readonly workflowId: string) {
    super(`Workflow ${workflowId} already exists`);
  }
}

/** Someone else published in between: the caller edited a version that is no longer the newest. */
export class WorkflowVersionConflictError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly workflowId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Workflow ${workflowId} is at version ${actualVersion}, not at the expected version ${expectedVersion}`);
  }
}

/**
 * A stream holds something its decider cannot have decided (a step its pinned definition lacks,
 * a message it never received): no retry can help, so a reaction that meets it is given up.
 */
export class CorruptStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptStreamError';
  }
}
