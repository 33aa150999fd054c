import "server-only";
import type pg from "pg";
import { calculateSessions } from "../calculation/calculate-sessions.ts";
import { findCalculatedSessions } from "../calculation/find-sessions-to-calculate.ts";
import { loadApplicationChanges } from "../calculation/calculation-history.ts";
import type { ChangesSummary } from "../calculation/report-changes.ts";
import type { PrismaClient } from "../db/client.ts";
import { keysetPage, type KeysetCursor } from "../paging/keyset-cursor.ts";
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

// Ordered by the time to the millisecond, as the page's cursor names it (the column keeps
// microseconds: two applications within one millisecond are told apart by id, so paging never
// skips the later of them).
const LIST_APPLICATIONS = `
SELECT a.id, a.policy_version, a.actor, date_trunc('milliseconds', a.at) AS at, a.range_from, a.range_to, count(c.id)::int AS sessions,
  count(c.id) FILTER (WHERE jsonb_array_length(c.changes) > 0)::int AS changed_sessions,
  COALESCE(sum(jsonb_array_length(c.changes)), 0)::int AS changed_rows
FROM policy_application a LEFT JOIN calculation c ON c.policy_application_id = a.id
WHERE a.academy_id = $1 AND ($3::timestamptz IS NULL OR (date_trunc('milliseconds', a.at), a.id) < ($3, $4::text))
GROUP BY a.id ORDER BY date_trunc('milliseconds', a.at) DESC, a.id DESC LIMIT $2`;

/** Applications shown a page at a time: an academy applying a policy every week has 52 in a year. */
export const POLICY_APPLICATIONS_PAGE = 50;

/**
 * A page of the academy's applications of policy versions to past classes, newest first, older
 * than `before` when given; `nextBefore` is the next (older) page's cursor, null on the last page.
 */
export async function listPolicyApplications(
  pool: pg.Pool,
  db: PrismaClient,
  academyId: string,
  { before, limit = POLICY_APPLICATIONS_PAGE }: { before?: KeysetCursor; limit?: number } = {},
): Promise<{ applications: PolicyApplicationView[]; nextBefore: string | null }> {
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
  }>(LIST_APPLICATIONS, [academyId, limit + 1, before?.at ?? null, before?.id ?? null]);
  const { page, next } = keysetPage(rows, limit, (row) => ({ at: row.at, id: row.id }));
  const authors = await resolveOverrideAuthors(
    db,
    page.map((row) => row.actor),
  );
  const applications: PolicyApplicationView[] = page.map((row) => ({
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
  return { applications, nextBefore: next };
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
