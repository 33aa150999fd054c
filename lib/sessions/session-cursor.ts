import { keysetPage, parseKeysetCursor, zKeysetCursor } from "../paging/keyset-cursor.ts";

/**
 * Keyset paging of session lists, which are ordered by scheduled start, then id: a page goes on
 * after the last session of the page before, named by its start and id (lib/paging/keyset-cursor.ts).
 */
export interface SessionCursor {
  scheduledStart: Date;
  id: string;
}

export function parseSessionCursor(value: string): SessionCursor | null {
  const cursor = parseKeysetCursor(value);
  return cursor && { scheduledStart: cursor.at, id: cursor.id };
}

/** A cursor in a query: a malformed one is a validation error (422), never the first page again. */
export const ZSessionCursorSchema = zKeysetCursor("nextAfter").transform((cursor): SessionCursor => ({
  scheduledStart: cursor.at,
  id: cursor.id,
}));

/**
 * One page of a list fetched with one row more than it shows: the rows shown, and the cursor of the
 * next page if that extra row exists (null on the last page, even when it is exactly full).
 */
export function pageOf<T extends { scheduledStart: Date; id: string }>(
  rows: readonly T[],
  limit: number,
): { page: T[]; nextAfter: string | null } {
  const { page, next } = keysetPage(rows, limit, (row) => ({ at: row.scheduledStart, id: row.id }));
  return { page, nextAfter: next };
}
