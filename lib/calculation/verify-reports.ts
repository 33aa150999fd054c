import "server-only";
import { isDeepStrictEqual } from "node:util";
import type pg from "pg";
import { inputChanges, type AttendanceEvent } from "../attendance/index.ts";
import {
  calculateOne,
  loadRostersAndEvents,
  loadSessionRows,
  REPORT_COLUMNS,
  reportRow,
  type ReportColumn,
  type ReportRow,
  type RosterRow,
  type SessionRow,
} from "./calculate-sessions.ts";
import { findCalculatedSessions } from "./find-sessions-to-calculate.ts";

export interface VerifyReportsOptions {
  pool: pg.Pool;
  /** The sessions to verify; see findSessionsToVerify. */
  sessionIds: string[];
  /** The clock: a class whose window has not ended by then has no report to verify. */
  now: Date;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReportDifference {
  sessionId: string;
  /** Why, in words: the inputs that changed ("new webhooks (1)", "a policy change", ...) and figures that differ. */
  reasons: string[];
}

export interface VerificationSummary {
  verified: number;
  /** Not ended yet, or cancelled: nothing to verify. */
  skipped: number;
  differences: ReportDifference[];
}

/** The sessions calculated at least once whose class was scheduled to end within the last `days` days. */
export async function findSessionsToVerify(
  pool: pg.Pool,
  { now, days, academyId }: { now: Date; days: number; academyId?: string },
): Promise<string[]> {
  return findCalculatedSessions(pool, { from: new Date(now.getTime() - days * 86_400_000), to: now, academyId });
}

/** A stored report as verify reads it: the columns the calculation writes, in ReportRow's form, by name. */
type StoredReport = Record<ReportColumn, unknown> & { overridden: boolean };

// Each written column read back in the form reportRow gives it: enums as text, times in ms, JSON as
// the database parsed it (compared as values, so jsonb's own key order does not count).
const readBack = (column: ReportColumn) => {
  switch (column) {
    case "role":
    case "status":
      return `${column}::text AS ${column}`;
    case "first_join_at":
    case "last_leave_at":
      return `round(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;
    default:
      return column;
  }
};
const JSON_COLUMNS: ReadonlySet<ReportColumn> = new Set(["intervals", "policy"]);

const LOAD_REPORTS = `
SELECT ${REPORT_COLUMNS.map(readBack).join(", ")}, override_status IS NOT NULL AS overridden
FROM attendance_report WHERE session_id = ANY($1::text[])`;

/** The written columns whose stored value differs from the one the calculation would write now. */
function differingColumns(stored: StoredReport, now: ReportRow): ReportColumn[] {
  return REPORT_COLUMNS.filter((column, c) =>
    JSON_COLUMNS.has(column)
      ? !isDeepStrictEqual(stored[column], JSON.parse(now[c] as string))
      : stored[column] !== now[c],
  );
}

/**
 * Each identity whose stored report differs from the one the log gives now, with the columns that
 * differ (or that one side lacks it). An overridden report the log no longer gives (its person left
 * the roster) is kept by every recalculation (rules section 8), so it is no difference: a
 * recalculation would not remove it.
 */
function differingPeople(stored: StoredReport[], now: Map<string, ReportRow>): string[] {
  const kept = new Map(
    stored
      .filter((row) => now.has(row.identity as string) || !row.overridden)
      .map((row) => [row.identity as string, row]),
  );
  const identities = [...new Set([...kept.keys(), ...now.keys()])].sort();
  return identities.flatMap((identity) => {
    const [was, is] = [kept.get(identity), now.get(identity)];
    if (!was) return [`${identity}: not stored`];
    if (!is) return [`${identity}: not in the log's report`];
    const columns = differingColumns(was, is);
    return columns.length ? [`${identity}: ${columns.join(", ")}`] : [];
  });
}

/** Why one session's stored report differs from what its log gives now; empty when it does not. */
function reasonsFor(session: SessionRow, computed: ReturnType<typeof calculateOne>, stored: StoredReport[]): string[] {
  if (session.calculated_at === null) return ["never calculated"];
  const reasons: string[] = [];
  if (session.report_fingerprint !== null && session.report_fingerprint !== computed.fingerprint) {
    const why = session.report_inputs ? inputChanges(session.report_inputs, computed.inputs) : [];
    reasons.push(...(why.length ? why : ["a webhook's contents"]));
  }
  const { result } = computed;
  const now = new Map(
    [...result.people, ...result.guests].map((person) => [person.identity, reportRow(session, result, person)]),
  );
  const people = differingPeople(stored, now);
  if (people.length) reasons.push(`the figures differ for ${people.length} (${people.slice(0, 5).join("; ")})`);
  return reasons;
}

/** One session's reasons (see reasonsFor), or null when its class has not ended (nothing to verify). */
function verifyOne(
  session: SessionRow,
  roster: RosterRow[],
  events: AttendanceEvent[],
  { stored, now }: { stored: StoredReport[]; now: Date },
): string[] | null {
  let computed: ReturnType<typeof calculateOne>;
  try {
    computed = calculateOne(session, roster, events);
  } catch (error) {
    return [`cannot be calculated: ${(error as Error).message}`];
  }
  if (computed.result.windowEnd > now.getTime()) return null;
  return reasonsFor(session, computed, stored);
}

/**
 * Recalculates sessions from the log without writing anything, and names each whose stored report
 * differs from what the log gives now, and why: its fingerprint's inputs differ (new webhooks, a
 * policy, schedule, roster or rules version change), or its figures do. A report calculated before
 * fingerprints were kept is compared by its figures alone.
 */
export async function verifyReports(options: VerifyReportsOptions): Promise<VerificationSummary> {
  const { pool, now, batchSize = 250, onProgress } = options;
  const ids = [...new Set(options.sessionIds)].sort();
  const summary: VerificationSummary = { verified: 0, skipped: 0, differences: [] };
  for (let offset = 0; offset < ids.length; offset += batchSize) {
    const client = await pool.connect();
    try {
      const sessions = (await loadSessionRows(client, ids.slice(offset, offset + batchSize))).filter((session) => {
        if (session.cancelled_at === null) return true;
        summary.skipped += 1;
        return false;
      });
      const { rosters, events } = await loadRostersAndEvents(client, sessions);
      const figures = new Map<string, StoredReport[]>();
      for (const row of (await client.query<StoredReport>(LOAD_REPORTS, [sessions.map((session) => session.id)])).rows)
        figures.set(row.session_id as string, [...(figures.get(row.session_id as string) ?? []), row]);
      for (const session of sessions) {
        const reasons = verifyOne(session, rosters.get(session.id) ?? [], events.get(session.id), {
          stored: figures.get(session.id) ?? [],
          now,
        });
        if (reasons === null) summary.skipped += 1;
        else summary.verified += 1;
        if (reasons?.length) summary.differences.push({ sessionId: session.id, reasons });
      }
    } finally {
      client.release();
    }
    onProgress?.(Math.min(offset + batchSize, ids.length), ids.length);
  }
  return summary;
}
