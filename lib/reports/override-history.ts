import "server-only";
import type { PrismaClient } from "../db/client.ts";
import type { OverrideEventRow } from "./override-event-view.ts";

const EVENT_FIELDS = {
  identity: true,
  at: true,
  actor: true,
  action: true,
  fromStatus: true,
  toStatus: true,
  calculatedStatus: true,
  note: true,
} as const;

/**
 * The override history of a session's reports (or of one person's), oldest first, by identity.
 * Each event's time is the database's clock once the report's row is locked (set-override), so a
 * report's events are in the order they were written.
 */
export async function loadOverrideHistory(
  db: Pick<PrismaClient, "overrideEvent">,
  { sessionId, identity }: { sessionId: string; identity?: string },
): Promise<Map<string, OverrideEventRow[]>> {
  const events = await db.overrideEvent.findMany({
    where: { sessionId, ...(identity === undefined ? {} : { identity }) },
    select: EVENT_FIELDS,
    orderBy: [{ identity: "asc" }, { at: "asc" }, { id: "asc" }],
  });
  const history = new Map<string, OverrideEventRow[]>();
  for (const event of events) {
    const list = history.get(event.identity);
    if (list) list.push(event);
    else history.set(event.identity, [event]);
  }
  return history;
}

/** The last change of a report's result by hand: an override set or removed, by whom, when. */
export interface LastOverrideChange {
  action: "set" | "remove";
  actor: string | null;
  at: Date;
}

/**
 * The last override set or removed on each report of these sessions, by lastChangeKey. A
 * recalculation under an override changes no result that counts, so it is not a
 * change here (the history shows it).
 */
export async function loadLastOverrideChanges(
  db: Pick<PrismaClient, "$queryRaw">,
  sessionIds: readonly string[],
): Promise<Map<string, LastOverrideChange>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(LastOverrideChange & { session_id: string; identity: string })[]>`
    SELECT DISTINCT ON (session_id, identity) session_id, identity, action::text AS action, actor, at
    FROM override_event
    WHERE session_id = ANY(${[...sessionIds]}::text[]) AND action IN ('set', 'remove')
    ORDER BY session_id, identity, at DESC, id DESC`;
  return new Map(rows.map((row) => [lastChangeKey(row.session_id, row.identity), row]));
}

export const lastChangeKey = (sessionId: string, identity: string) => JSON.stringify([sessionId, identity]);
