import { z } from "zod";

/**
 * Keyset paging of session lists, which are ordered by scheduled start, then id: a page goes on
 * after the last session of the page before, named by its start and id. Written
 * "<scheduledStart as ISO 8601 UTC with milliseconds>|<id>", as the event log's cursor is; it is
 * opaque to clients, who pass back the `nextAfter` they were given.
 */
export interface SessionCursor {
  scheduledStart: Date;
  id: string;
}

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([^|\s\u0000-\u001f\u007f]{1,256})$/;

export function parseSessionCursor(value: string): SessionCursor | null {
  const match = CURSOR.exec(value);
  if (!match) return null;
  const at = new Date(match[1]!);
  // A date that does not exist (2026-02-30, 24:00) comes back as another one; year 0 PostgreSQL refuses.
  if (Number.isNaN(at.getTime()) || at.toISOString() !== match[1] || at.getUTCFullYear() < 1) return null;
  return { scheduledStart: at, id: match[2]! };
}

export const sessionCursor = (session: { scheduledStart: Date; id: string }): string =>
  `${session.scheduledStart.toISOString()}|${session.id}`;

export const CURSOR_MESSAGE = "must be the nextAfter of a previous page";

/** A cursor in a query: a malformed one is a validation error (422), never the first page again. */
export const ZSessionCursorSchema = z.string().transform((value, context) => {
  const cursor = parseSessionCursor(value);
  if (!cursor) {
    context.addIssue({ code: "custom", message: CURSOR_MESSAGE });
    return z.NEVER;
  }
  return cursor;
});

/**
 * One page of a list fetched with one row more than it shows: the rows shown, and the cursor of the
 * next page if that extra row exists (null on the last page, even when it is exactly full).
 */
export function pageOf<T extends { scheduledStart: Date; id: string }>(
  rows: readonly T[],
  limit: number,
): { page: T[]; nextAfter: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextAfter: rows.length > limit && last ? sessionCursor(last) : null };
}
