import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { quotedInput } from '#domain';

/**
 * Names every object has through its prototype (`toString`, `valueOf`, `__proto__`…):
 * class-validator's whitelist looks a property up in a plain object of the declared ones, finds
 * these there too, and lets them through as if the DTO declared them.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** How a body that is JSON but not an object (an array, a text, a number, null) is refused. */
export const NOT_AN_OBJECT_MESSAGE = 'The request body must be a JSON object';

/**
 * Nest's ValidationPipe, except that a property the DTO does not have is named as quotedInput
 * names it (class-validator repeats the whole name, and a name can be as long as the body), that
 * the names of Object's prototype are unknown properties like any other, that a required property
 * left out is "required" rather than of the wrong type, and that a body must be an object (or
 * nothing, which reads as {}; a JSON `null` is a body sent, and no object).
 */
export class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = this.toValidate(metadata);
    if (
      validated &&
      metadata.type === 'body' &&
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new BadRequestException(NOT_AN_OBJECT_MESSAGE);
    }
    if (typeof value === 'object' && value !== null && validated) {
      const inherited = Object.keys(value).find((key) => INHERITED_NAMES.has(key));
      if (inherited !== undefined) throw new BadRequestException([unknownPropertyMessage(inherited)]);
      if (metadata.type === 'query') refuseRepeatedParameters(value, metadata);
    }
    return super.transform(value, metadata);
  }

  protected override flattenValidationErrors(validationErrors: ValidationError[]): string[] {
    return super.flattenValidationErrors(validationErrors.map(withClearerMessages));
  }
}

/**
 * A query parameter given twice (`?status=active&status=ended`) arrives as an array, which no
 * query takes: said so in the same words on every query, rather than as whichever rule of the
 * parameter an array breaks first. One the query does not have is left to the whitelist.
 */
const refuseRepeatedParameters = (query: object, { metatype }: ArgumentMetadata): void => {
  if (metatype === undefined) return;
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(metatype, '', true, false)
      .map((rule) => rule.propertyName),
  );
  const repeated = Object.entries(query).find(([name, given]) => Array.isArray(given) && declared.has(name))?.[0];
  if (repeated !== undefined) throw new BadRequestException([`${repeated} must be given once`]);
};

/** How a property the request may not carry is refused, named as quotedInput names it. */
export const unknownPropertyMessage = (property: string): string => `property ${quotedInput(property)} should not exist`;

/** Constraints that fail for a value left out: all but the whitelist's, which fails for a value given. */
const constraintsOf = ({ property, value, constraints }: ValidationError): Record<string, string> | undefined => {
  if (constraints?.whitelistValidation !== undefined) return { ...constraints, whitelistValidation: unknownPropertyMessage(property) };
  // Optional properties are not validated when left out: a failure then is a required one missing.
  if (value === undefined && constraints !== undefined) return { isDefined: `${property} is required` };
  return constraints;
};

const withClearerMessages = (error: ValidationError): ValidationError => ({
  ...error,
  constraints: constraintsOf(error),
  ...(error.children === undefined ? {} : { children: error.children.map(withClearerMessages) }),
});
