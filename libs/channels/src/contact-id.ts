/**
 * Contact ids become part of stream names (`conversation-<channel>-<contact>`): a conservative
 * alphabet and a bounded length, whichever channel they come from. Meta's sender ids (phone
 * numbers, page-scoped ids) are digits.
 */
export const CONTACT_ID_MAX_LENGTH = 128;
export const CONTACT_ID_PATTERN = new RegExp(`^[A-Za-z0-9_.:@+-]{1,${CONTACT_ID_MAX_LENGTH}}$`);

/** The value as a contact id, or undefined when it is not one. */
export const contactIdOf = (value: unknown): string | undefined =>
  typeof value === 'string' && CONTACT_ID_PATTERN.test(value) ? value : undefined;
