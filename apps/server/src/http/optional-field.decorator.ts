import { ValidateIf } from 'class-validator';

/**
 * An optional body field: absent is fine, but `null` is a value like any other and is checked
 * (class-validator's IsOptional lets `null` through unchecked, and it would then be stored).
 */
export const OptionalField = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
