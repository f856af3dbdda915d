import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/**
 * Plain decimal digits, signed or not, as a number: Number() would also take "0x10", "1e3" or " 7 ".
 * The sign is read so that "-1" is refused for its bound, not as no number at all. Anything else
 * is left for the validators to refuse.
 */
export const decimalDigitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** A query parameter repeated (`?limit=1&limit=2`) arrives as an array. */
const GivenOnce = (name: string) =>
  ValidateBy({
    name: 'givenOnce',
    validator: { validate: (value: unknown) => !Array.isArray(value), defaultMessage: () => `${name} must be given once` },
  });

/** An optional query parameter `name`: a whole number from `min` to `max`, in plain decimal digits. */
export const WholeNumberQuery = (
  name: string,
  { min, max, byDefault, description }: { min: number; max: number; byDefault: number; description?: string },
) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      default: byDefault,
      // The default is also what a caller would usually send.
      example: byDefault,
      minimum: min,
      maximum: max,
      ...(description ? { description } : {}),
    }),
    // Registered in this order, and the first failing rule registered is the one reported: whether
    // it is a whole number at all comes before its bounds ("abc" is not "more than 1000").
    IsOptional(),
    Transform(decimalDigitsToNumber),
    GivenOnce(name),
    IsInt({ message: `${name} must be a whole number` }),
    Min(min, { message: `${name} must be at least ${min}` }),
    Max(max, { message: `${name} must be at most ${max}` }),
  );

/** `?limit=`: how many items a page holds, the same rule and wording on every list. */
export const PageSize = (byDefault: number, max: number, description?: string) =>
  WholeNumberQuery('limit', { min: 1, max, byDefault, description });
