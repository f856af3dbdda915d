import { BadRequestException } from '@nestjs/common';

/** Where a newest-first list stopped: the value it is ordered by and the id of its last item. */
export interface ListPosition {
  value: string;
  id: string;
}

/** Opaque to clients: the list position as base64url JSON. */
const encodePageCursor = ({ value, id }: ListPosition): string => Buffer.from(JSON.stringify([value, id])).toString('base64url');

/** The position a `nextCursor` of this API names; anything else is the caller's error (400). */
export const decodePageCursor = (cursor: string): ListPosition => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === 'string')) {
      return { value: decoded[0], id: decoded[1] };
    }
  } catch {
    // reported below
  }
  throw new BadRequestException('cursor is not a cursor returned by this API');
};

/**
 * A page from `found`, read with one item more than `limit`: that extra item says another page
 * exists, and `nextCursor` then names where this one stopped.
 */
export const pageOf = <T>(
  found: readonly T[],
  limit: number,
  positionOf: (item: T) => ListPosition,
): { items: T[]; nextCursor?: string } => {
  const items = found.slice(0, limit);
  return found.length > limit ? { items, nextCursor: encodePageCursor(positionOf(items[items.length - 1])) } : { items };
};
