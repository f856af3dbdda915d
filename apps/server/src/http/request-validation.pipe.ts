import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { quotedInput } from '#domain';

/**
 * Names every object has through its prototype (`toString`, `valueOf`, `__proto__`…):
 * class-validator's whitelist looks a property up in a plain object of the declared ones, finds
 * these there too, and lets them through as if the DTO declared them.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Nest's ValidationPipe, except that a property the DTO does not have is named as quotedInput
 * names it (class-validator repeats the whole name, and a name can be as long as the body), and
 * that the names of Object's prototype are unknown properties like any other.
 */
export class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value === 'object' && value !== null && this.toValidate(metadata)) {
      const inherited = Object.keys(value).find((key) => INHERITED_NAMES.has(key));
      if (inherited !== undefined) throw new BadRequestException([unknownPropertyMessage(inherited)]);
    }
    return super.transform(value, metadata);
  }

  protected override flattenValidationErrors(validationErrors: ValidationError[]): string[] {
    return super.flattenValidationErrors(validationErrors.map(withUnknownPropertyQuoted));
  }
}

/** How a property the request may not carry is refused, named as quotedInput names it. */
export const unknownPropertyMessage = (property: string): string => `property ${quotedInput(property)} should not exist`;

const withUnknownPropertyQuoted = (error: ValidationError): ValidationError => ({
  ...error,
  ...(error.constraints?.whitelistValidation === undefined
    ? {}
    : { constraints: { ...error.constraints, whitelistValidation: unknownPropertyMessage(error.property) } }),
  ...(error.children === undefined ? {} : { children: error.children.map(withUnknownPropertyQuoted) }),
});
