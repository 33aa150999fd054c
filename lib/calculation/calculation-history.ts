import "server-only";
import type pg from "pg";
import type { PrismaClient } from "../db/client.ts";
import {
  describeChanges,
  summarizeChanges,
  type CalculationTrigger,
  type ChangesSummary,
  type RowChange,
} from "./report-changes.ts";

/** One calculation of a session as shown: when, why, with which policy version, and what it changed. */
export interface CalculationView {
  at: string;
  trigger: CalculationTrigger;
  policyVersion: number;
  fingerprint: string;
  /** The rows it changed since the calculation before; null for the first. */
  changes: RowChange[] | null;
  /** The changes in one line: "2 rows changed: Sara Ahmed absent, 5.0 % → partial, 40.0 %.". */
  words: string;
  /** The admin's application of a policy version it was part of, if any. */
  policyApplicationId: string | null;
}

/** Every calculation of a session, oldest first (the calculation table is append-only). */
export async function loadSessionCalculations(db: PrismaClient, sessionId: string): Promise<CalculationView[]> {
  const rows = await db.calculation.findMany({ where: { sessionId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return rows.map((row) => {
    const changes = row.changes as RowChange[] | null;
    return {
      at: row.at.toISOString(),
      trigger: row.trigger,
      policyVersion: row.policyVersion,
      fingerprint: row.fingerprint,
      changes,
      words: describeChanges(changes),
      policyApplicationId: row.policyApplicationId,
    };
  });
}

const APPLICATION_CHANGES = `
SELECT c.session_id, c.changes, s.title, s.scheduled_start
FROM calculation c JOIN session s ON s.id = c.session_id
WHERE c.policy_application_id = $1`;

/** What an application of a policy version changed, as its calculations (one per class recalculated) recorded it. */
export async function loadApplicationChanges(pool: pg.Pool, applicationId: string): Promise<ChangesSummary> {
  const { rows } = await pool.query<{
    session_id: string;
    changes: RowChange[] | null;
    title: string;
    scheduled_start: Date;
  }>(APPLICATION_CHANGES, [applicationId]);
  return summarizeChanges(
    rows.length,
    rows.map((row) => ({
      sessionId: row.session_id,
      title: row.title,
      scheduledStart: row.scheduled_start.toISOString(),
      changes: row.changes ?? [],
    })),
  );
}
