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
 * Events are appended in commit order within a report (set-override locks the report's row), so the
 * id orders them even when two share a millisecond.
 */
export async function loadOverrideHistory(
  db: Pick<PrismaClient, "overrideEvent">,
  { sessionId, identity }: { sessionId: string; identity?: string },
): Promise<Map<string, OverrideEventRow[]>> {
  const events = await db.overrideEvent.findMany({
    where: { sessionId, ...(identity === undefined ? {} : { identity }) },
    select: EVENT_FIELDS,
    orderBy: [{ identity: "asc" }, { id: "asc" }],
  });
  const history = new Map<string, OverrideEventRow[]>();
  for (const event of events) {
    const list = history.get(event.identity);
    if (list) list.push(event);
    else history.set(event.identity, [event]);
  }
  return history;
}
