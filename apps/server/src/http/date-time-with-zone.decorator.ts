import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsString, Matches } from 'class-validator';

/**
 * A date, a time and a zone: a time without a zone would be read in the server's zone. The
 * calendar itself (no 30 February) is checked by IsISO8601.
 */
const ISO_DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A moment given as field `name`, in a query or a body. applyDecorators registers in the order
 * given, and the first failing rule registered is the one reported: the type first.
 */
export const DateTimeWithZone = (name: string) =>
  applyDecorators(
    IsString({ message: `${name} must be a string` }),
    Matches(ISO_DATE_TIME_WITH_ZONE, { message: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-01T12:00:00Z` }),
    IsISO8601({ strict: true }, { message: `${name} must be a valid date and time, e.g. 2026-01-01T12:00:00Z` }),
  );
