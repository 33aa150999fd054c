import "server-only";
import type pg from "pg";
import { inputChanges, type AttendanceEvent, type PersonAttendance } from "../attendance/index.ts";
import {
  calculateOne,
  loadRostersAndEvents,
  loadSessionRows,
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

interface StoredFigures {
  session_id: string;
  identity: string;
  role: string;
  status: string;
  attended_seconds: number;
  session_seconds: number;
  percentage: number;
  is_late: boolean;
  late_minutes: number;
  connection_count: number;
  explanation: string;
  overridden: boolean;
}

const LOAD_FIGURES = `
SELECT session_id, identity, role::text AS role, status::text AS status, attended_seconds, session_seconds, percentage,
  is_late, late_minutes, connection_count, explanation, override_status IS NOT NULL AS overridden
FROM attendance_report WHERE session_id = ANY($1::text[])`;

// The calculated figures of a report (never its override), as one comparable text.
const figuresOf = (row: Omit<StoredFigures, "session_id" | "identity" | "overridden">) =>
  JSON.stringify([
    row.role,
    row.status,
    row.attended_seconds,
    row.session_seconds,
    row.percentage,
    row.is_late,
    row.late_minutes,
    row.connection_count,
    row.explanation,
  ]);

const personFigures = (person: PersonAttendance, sessionSeconds: number) =>
  figuresOf({
    role: person.role,
    status: person.status,
    attended_seconds: person.attendedSeconds,
    session_seconds: Math.round(sessionSeconds),
    percentage: person.percentage,
    is_late: person.isLate,
    late_minutes: person.lateMinutes,
    connection_count: person.connectionCount,
    explanation: person.explanation,
  });

/**
 * The identities whose stored figures differ from the ones the log gives now (or that one side
 * lacks). An overridden report the log no longer gives (its person left the roster) is kept by every
 * recalculation (rules section 8), so it is no difference: a recalculation would not remove it.
 */
function differingPeople(stored: StoredFigures[], now: Map<string, string>): string[] {
  const kept = stored.filter((row) => now.has(row.identity) || !row.overridden);
  const storedBy = new Map(kept.map((row) => [row.identity, figuresOf(row)]));
  const identities = [...new Set([...storedBy.keys(), ...now.keys()])].sort();
  return identities.filter((identity) => storedBy.get(identity) !== now.get(identity));
}

/** Why one session's stored report differs from what its log gives now; empty when it does not. */
function reasonsFor(session: SessionRow, computed: ReturnType<typeof calculateOne>, stored: StoredFigures[]): string[] {
  if (session.calculated_at === null) return ["never calculated"];
  const reasons: string[] = [];
  if (session.report_fingerprint !== null && session.report_fingerprint !== computed.fingerprint) {
    const why = session.report_inputs ? inputChanges(session.report_inputs, computed.inputs) : [];
    reasons.push(...(why.length ? why : ["a webhook's contents"]));
  }
  const { result } = computed;
  const now = new Map(
    [...result.people, ...result.guests].map((person) => [
      person.identity,
      personFigures(person, result.sessionSeconds),
    ]),
  );
  const people = differingPeople(stored, now);
  if (people.length) reasons.push(`the figures differ for ${people.length} (${people.slice(0, 5).join(", ")})`);
  return reasons;
}

/** One session's reasons (see reasonsFor), or null when its class has not ended (nothing to verify). */
function verifyOne(
  session: SessionRow,
  roster: RosterRow[],
  events: AttendanceEvent[],
  { stored, now }: { stored: StoredFigures[]; now: Date },
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
      const figures = new Map<string, StoredFigures[]>();
      for (const row of (await client.query<StoredFigures>(LOAD_FIGURES, [sessions.map((session) => session.id)])).rows)
        figures.set(row.session_id, [...(figures.get(row.session_id) ?? []), row]);
      for (const session of sessions) {
        const reasons = verifyOne(session, rosters.get(session.id) ?? [], events.get(session.id) ?? [], {
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
