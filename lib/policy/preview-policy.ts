import "server-only";
import type pg from "pg";
import {
  calculateOne,
  comparedRows,
  loadRostersAndEvents,
  loadSessionRows,
  loadStoredRows,
} from "../calculation/calculate-sessions.ts";
import { findCalculatedSessions } from "../calculation/find-sessions-to-calculate.ts";
import {
  reportChanges,
  summarizeChanges,
  type ChangesSummary,
  type SessionChanges,
} from "../calculation/report-changes.ts";
import type { PolicyValues } from "./policy-values.ts";

export { MAX_POLICY_WEEKS } from "./policy-fields.ts";

/** The classes a preview or an application covers: those scheduled to end in the last `weeks` weeks. */
export function policyRange(now: Date, weeks: number): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - weeks * 7 * 86_400_000), to: now };
}

/**
 * What recalculating the academy's calculated classes in [from, to] with `values` would change,
 * computed by the calculation's own code (the same reads, core and comparison: report-changes.ts)
 * and written nowhere; `to` is also the clock (a preview covers classes up to now). The comparison is with each class's stored report, so a class whose log
 * changed since its last calculation shows that change too, as its recalculation would.
 */
export async function previewPolicy(
  pool: pg.Pool,
  {
    academyId,
    values,
    from,
    to,
    batchSize = 250,
  }: { academyId: string; values: PolicyValues; from: Date; to: Date; batchSize?: number },
): Promise<ChangesSummary> {
  const ids = await findCalculatedSessions(pool, { academyId, from, to });
  const perSession: SessionChanges[] = [];
  for (let offset = 0; offset < ids.length; offset += batchSize) {
    const client = await pool.connect();
    try {
      const sessions = await loadSessionRows(client, ids.slice(offset, offset + batchSize));
      const { rosters, events } = await loadRostersAndEvents(client, sessions);
      const stored = await loadStoredRows(
        client,
        sessions.map((session) => session.id),
      );
      for (const session of sessions) {
        const roster = rosters.get(session.id) ?? [];
        const { result } = calculateOne(session, roster, events.get(session.id), values);
        // A class resumed since it was calculated has no report until it ends again (rules section
        // 5): a recalculation would leave it alone, and so does the preview.
        if (result.windowEnd > to.getTime()) continue;
        perSession.push({
          sessionId: session.id,
          title: session.title,
          scheduledStart: session.scheduled_start.toISOString(),
          changes: reportChanges(stored.get(session.id) ?? [], comparedRows(result, roster)),
        });
      }
    } finally {
      client.release();
    }
  }
  return summarizeChanges(ids.length, perSession);
}
