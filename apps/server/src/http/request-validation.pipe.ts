import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { quotedInput } from '#domain';

/**
 * Nest's ValidationPipe, except that a property the DTO does not have is named as quotedInput
 * names it: class-validator repeats the whole name, and a name can be as long as the body.
 */
export class RequestValidationPipe extends ValidationPipe {
  protected override flattenValidationErrors(validationErrors: ValidationError[]): string[] {
    return super.flattenValidationErrors(validationErrors.map(withUnknownPropertyQuoted));
  }
}

const withUnknownPropertyQuoted = (error: ValidationError): ValidationError => ({
  ...error,
  ...(error.constraints?.whitelistValidation === undefined
    ? {}
    : { constraints: { ...error.constraints, whitelistValidation: `property ${quotedInput(error.property)} should not exist` } }),
  ...(error.children === undefined ? {} : { children: error.children.map(withUnknownPropertyQuoted) }),
});
