import { z } from "zod";

/**
 * Keyset paging of lists ordered by an instant, then id (sessions by scheduled start, policy
 * applications by when they were made): a page goes on from the last row of the page before, named
 * by its instant and id. Written "<instant as ISO 8601 UTC with milliseconds>|<id>", as the event
 * log's cursor is; opaque to clients, who pass back the cursor they were given.
 */
export interface KeysetCursor {
  at: Date;
  id: string;
}

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([^|\s\u0000-\u001f\u007f]{1,256})$/;
// The event log's ids are LiveKit's, stored as signed, and may hold a space.
const CURSOR_ID_WITH_SPACES = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([^|\u0000-\u001f\u007f]{1,256})$/;

export function parseKeysetCursor(value: string, { spacesInId = false } = {}): KeysetCursor | null {
  const match = (spacesInId ? CURSOR_ID_WITH_SPACES : CURSOR).exec(value);
  if (!match) return null;
  const at = new Date(match[1]!);
  // A date that does not exist (2026-02-30, 24:00) comes back as another one; year 0 PostgreSQL refuses.
  if (Number.isNaN(at.getTime()) || at.toISOString() !== match[1] || at.getUTCFullYear() < 1) return null;
  return { at, id: match[2]! };
}

export const keysetCursor = ({ at, id }: KeysetCursor): string => `${at.toISOString()}|${id}`;

/** A cursor in an API query: a malformed one is a validation error (422), never the first page again. */
export const zKeysetCursor = (field: string) =>
  z.string().transform((value, context) => {
    const cursor = parseKeysetCursor(value);
    if (!cursor) {
      context.addIssue({ code: "custom", message: `must be the ${field} of a previous page` });
      return z.NEVER;
    }
    return cursor;
  });

/**
 * One page of a list fetched with one row more than it shows: the rows shown, and the cursor of the
 * next page if that extra row exists (null on the last page, even when it is exactly full).
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => KeysetCursor,
): { page: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last !== undefined ? keysetCursor(cursorOf(last)) : null };
}
