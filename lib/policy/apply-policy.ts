import "server-only";
import type pg from "pg";
import { calculateSessions } from "../calculation/calculate-sessions.ts";
import { findCalculatedSessions } from "../calculation/find-sessions-to-calculate.ts";
import { loadApplicationChanges } from "../calculation/calculation-history.ts";
import type { ChangesSummary } from "../calculation/report-changes.ts";
import type { PrismaClient } from "../db/client.ts";
import {
  overrideAuthorName,
  overrideAuthorRef,
  resolveOverrideAuthors,
  type OverrideActor,
} from "../reports/override-author.ts";

export interface PolicyApplicationResult {
  id: string;
  policyVersion: number;
  at: string;
  from: string;
  to: string;
  /** What the recalculations changed, as recorded with each (the preview's shape). */
  changes: ChangesSummary;
  /** Classes that could not be calculated, with why; the others were. */
  failures: { sessionId: string; error: string }[];
}

const RECORD_APPLICATION = `
INSERT INTO policy_application (id, academy_id, policy_version, actor, range_from, range_to)
SELECT gen_random_uuid()::text, a.id, a.policy_version, $2, $3, $4 FROM academy a WHERE a.id = $1
RETURNING id, policy_version, at`;

/**
 * An admin's explicit recalculation of past classes with the academy's current policy version: the
 * classes calculated and scheduled to end in [from, to] are recalculated with it (and keep it after),
 * each calculation recording what it changed under this application, which is recorded with who
 * and when. The version is the one current when the application is recorded, even if another is
 * saved meanwhile. Overrides stay (rules section 8).
 */
export async function applyPolicyToPast(
  pool: pg.Pool,
  { academyId, actor, from, to }: { academyId: string; actor: OverrideActor; from: Date; to: Date },
): Promise<PolicyApplicationResult> {
  const ids = await findCalculatedSessions(pool, { academyId, from, to });
  const {
    rows: [application],
  } = await pool.query<{ id: string; policy_version: number; at: Date }>(RECORD_APPLICATION, [
    academyId,
    overrideAuthorRef(actor),
    from,
    to,
  ]);
  const summary = await calculateSessions({
    pool,
    sessionIds: ids,
    force: true,
    trigger: "policy",
    policyVersion: application!.policy_version,
    policyApplicationId: application!.id,
  });
  return {
    id: application!.id,
    policyVersion: application!.policy_version,
    at: application!.at.toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
    changes: await loadApplicationChanges(pool, application!.id),
    failures: summary.failures,
  };
}

export interface PolicyApplicationView {
  id: string;
  policyVersion: number;
  /** Who applied it, by their current name. */
  by: string | null;
  at: string;
  from: string;
  to: string;
  /** Classes recalculated, and those of them whose report changed. */
  sessions: number;
  changedSessions: number;
  changedRows: number;
}

const LIST_APPLICATIONS = `
SELECT a.id, a.policy_version, a.actor, a.at, a.range_from, a.range_to, count(c.id)::int AS sessions,
  count(c.id) FILTER (WHERE jsonb_array_length(c.changes) > 0)::int AS changed_sessions,
  COALESCE(sum(jsonb_array_length(c.changes)), 0)::int AS changed_rows
FROM policy_application a LEFT JOIN calculation c ON c.policy_application_id = a.id
WHERE a.academy_id = $1
GROUP BY a.id ORDER BY a.at DESC, a.id DESC LIMIT $2`;

/** The academy's applications of policy versions to past classes, newest first. */
export async function listPolicyApplications(
  pool: pg.Pool,
  db: PrismaClient,
  academyId: string,
  limit = 50,
): Promise<PolicyApplicationView[]> {
  const { rows } = await pool.query<{
    id: string;
    policy_version: number;
    actor: string | null;
    at: Date;
    range_from: Date;
    range_to: Date;
    sessions: number;
    changed_sessions: number;
    changed_rows: number;
  }>(LIST_APPLICATIONS, [academyId, limit]);
  const authors = await resolveOverrideAuthors(
    db,
    rows.map((row) => row.actor),
  );
  return rows.map((row) => ({
    id: row.id,
    policyVersion: row.policy_version,
    by: overrideAuthorName(row.actor, authors),
    at: row.at.toISOString(),
    from: row.range_from.toISOString(),
    to: row.range_to.toISOString(),
    sessions: row.sessions,
    changedSessions: row.changed_sessions,
    changedRows: row.changed_rows,
  }));
}

/** One application of a policy version with what it changed, or null when the academy has no such one. */
export async function getPolicyApplication(
  pool: pg.Pool,
  academyId: string,
  id: string,
): Promise<Omit<PolicyApplicationResult, "failures"> | null> {
  const { rows } = await pool.query<{ id: string; policy_version: number; at: Date; range_from: Date; range_to: Date }>(
    `SELECT id, policy_version, at, range_from, range_to FROM policy_application WHERE id = $1 AND academy_id = $2`,
    [id, academyId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    policyVersion: row.policy_version,
    at: row.at.toISOString(),
    from: row.range_from.toISOString(),
    to: row.range_to.toISOString(),
    changes: await loadApplicationChanges(pool, row.id),
  };
}
