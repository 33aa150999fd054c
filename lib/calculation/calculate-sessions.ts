import "server-only";
import type pg from "pg";
import { CopyInput, copyFrom, copyText } from "../db/copy-from.ts";
import { loadSessionEventTexts, parseSessionEvents } from "../sessions/session-events.ts";
import { storedIntervalsJson } from "../reports/provenance.ts";
import { isoTime } from "../time/iso.ts";
import { policyForType, type PolicyValues } from "../policy/policy-values.ts";
import { fingerprintWithInputs } from "./report-fingerprint.ts";
import { reportChanges, type CalculationTrigger, type ComparedRow, type RowChange } from "./report-changes.ts";
import {
  calculateAttendance,
  validatePolicy,
  type AttendanceEvent,
  type AttendanceInput,
  type AttendanceStatus,
  type PersonAttendance,
  type RosterEntry,
  type StoredInputs,
} from "../attendance/index.ts";

export type { CalculationTrigger };

export interface CalculateSessionsOptions {
  pool: pg.Pool;
  sessionIds: string[];
  /** Recalculate sessions that are already calculated (a teacher's button, `--force`). */
  force?: boolean;
  /**
   * When the forced recalculation was asked for (the database's clock, as requestRecalculation
   * reads it). A session calculated since then, and not marked uncalculated after, already answers
   * the request, since that run read the log later than it was asked: it is left alone. So the
   * same button pressed on two instances at once (or twice) calculates once.
   */
  requestedAt?: Date;
  trigger: CalculationTrigger;
  /**
   * The calculation's clock (the window must have ended by then; the reports' calculatedAt).
   * Omitted: the database's clock at the moment each batch holds its sessions' locks, so a run that
   * queued behind another is dated after it, a report's calculatedAt is never before a request it
   * answers, and instances whose clocks differ still agree (one clock decides).
   */
  now?: Date;
  /**
   * The academy's policy version to calculate with, when an admin applies it to past classes.
   * Omitted (every other calculation): the version the session's reports were calculated with, or
   * for a first calculation the academy's current one.
   */
  policyVersion?: number;
  /** The admin's application of a policy version these calculations belong to (PolicyApplication). */
  policyApplicationId?: string;
  batchSize?: number;
  /** Batches calculated at once, each on a connection of its own (default 2; 1 on the embedded PGlite). */
  concurrency?: number;
  /** Filled with the milliseconds spent in each phase, summed over the batches (bench/calculate.ts --profile). */
  profile?: Record<string, number>;
  onProgress?: (done: number, total: number) => void;
}

export interface CalculationSummary {
  sessions: number;
  skipped: number;
  /** Reports written, by role: students, teachers and guests are never counted together. */
  students: number;
  teachers: number;
  guests: number;
  /** The students' statuses (decision 9: "present 9" means nine students). */
  statuses: Record<AttendanceStatus, number>;
  failures: { sessionId: string; error: string }[];
  durationMs: number;
}

export interface SessionRow {
  id: string;
  academy_id: string;
  type: string;
  livekit_scope: string;
  room_name: string;
  scheduled_start: Date;
  scheduled_end: Date;
  cancelled_at: Date | null;
  is_calculated: boolean;
  calculated_at: Date | null;
  report_fingerprint: string | null;
  report_inputs: StoredInputs | null;
  title: string;
  timezone: string;
  /** The policy version the calculation uses (CalculateSessionsOptions.policyVersion) and its values. */
  policy_version: number;
  policy_values: PolicyValues;
}

export interface RosterRow {
  session_id: string;
  role: "teacher" | "student";
  person_id: string;
  livekit_identity: string | null;
  name: string;
}

// Locks are taken in id order so two calculations over overlapping sets cannot deadlock.
const LOCK_SESSIONS = `SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM (SELECT unnest($1::text[]) AS id ORDER BY 1) AS ids`;

// $2: the policy version to use; null: the session's own, or for a first calculation the academy's current.
const LOAD_SESSIONS = `
SELECT s.id, s.academy_id, s.type, s.livekit_scope, s.room_name, s.scheduled_start, s.scheduled_end, s.cancelled_at, s.is_calculated, s.calculated_at,
  s.report_fingerprint, s.report_inputs, s.title, a.timezone,
  v.version AS policy_version, json_build_object('defaults', v.defaults, 'types', v.types) AS policy_values
FROM session s
JOIN academy a ON a.id = s.academy_id
JOIN policy_version v ON v.academy_id = s.academy_id
  AND v.version = COALESCE($2::int, s.policy_version, a.policy_version)
WHERE s.id = ANY($1::text[])`;

const LOAD_ROSTERS = `
SELECT r.session_id, r.role, p.id AS person_id, p.livekit_identity, p.name
FROM session_roster r JOIN person p ON p.id = r.person_id
WHERE r.session_id = ANY($1::text[])`;

/**
 * The columns a calculation writes of one report, in ReportRow's order: UPSERT_REPORTS and
 * COPY_REPORTS write these, and attendance:verify (verify-reports.ts) compares each of them with
 * what reportRow builds from the log now, so a column added here is written and verified alike.
 */
export const REPORT_COLUMNS = [
  "session_id",
  "identity",
  "academy_id",
  "person_id",
  "role",
  "status",
  "attended_seconds",
  "session_seconds",
  "percentage",
  "is_late",
  "late_minutes",
  "first_join_at",
  "last_leave_at",
  "intervals",
  "connection_count",
  "explanation",
  "policy",
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** One report as the calculation writes it, column by column (REPORT_COLUMNS; times in ms, JSON as text). */
export type ReportRow = [
  string,
  string,
  string,
  string | null,
  string,
  string,
  number,
  number,
  number,
  boolean,
  number,
  number | null,
  number | null,
  string,
  number,
  string,
  string,
];
// A column in one list and not the other is a compile error.
const SAME_LENGTH: ReportRow["length"] = REPORT_COLUMNS.length;
void SAME_LENGTH;

// Calculated values are replaced; the override columns are never written here (rules section 8).
// Rows travel as one typed array per column: far cheaper to parse than JSON for thousands of rows.
const UPSERT_REPORTS = `
INSERT INTO attendance_report AS r (${REPORT_COLUMNS.join(", ")}, is_auto_calculated, calculated_at)
SELECT x.session_id, x.identity, x.academy_id, x.person_id, x.role::"ReportRole", x.status::"AttendanceStatus",
  x.attended_seconds, x.session_seconds, x.percentage, x.is_late, x.late_minutes,
  to_timestamp(x.first_join_ms / 1000.0), to_timestamp(x.last_leave_ms / 1000.0), x.intervals, x.connection_count,
  x.explanation, x.policy, $18, $19
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::float8[],
  $10::boolean[], $11::int[], $12::float8[], $13::float8[], $14::jsonb[], $15::int[], $16::text[], $17::jsonb[])
  AS x(session_id, identity, academy_id, person_id, role, status, attended_seconds, session_seconds, percentage,
       is_late, late_minutes, first_join_ms, last_leave_ms, intervals, connection_count, explanation, policy)
ON CONFLICT (session_id, identity) DO UPDATE SET academy_id = EXCLUDED.academy_id, person_id = EXCLUDED.person_id,
  role = EXCLUDED.role, status = EXCLUDED.status, attended_seconds = EXCLUDED.attended_seconds,
  session_seconds = EXCLUDED.session_seconds, percentage = EXCLUDED.percentage, is_late = EXCLUDED.is_late,
  late_minutes = EXCLUDED.late_minutes, first_join_at = EXCLUDED.first_join_at, last_leave_at = EXCLUDED.last_leave_at,
  intervals = EXCLUDED.intervals, connection_count = EXCLUDED.connection_count, explanation = EXCLUDED.explanation,
  policy = EXCLUDED.policy, is_auto_calculated = EXCLUDED.is_auto_calculated, calculated_at = EXCLUDED.calculated_at`;

// A first calculation's reports, when the database takes COPY (PostgreSQL; not the embedded PGlite,
// whose wire protocol has no COPY FROM STDIN): the fastest way in, with no conflict to resolve.
const COPY_REPORTS = `COPY attendance_report (${REPORT_COLUMNS.join(", ")}, is_auto_calculated, calculated_at) FROM STDIN`;

// Of sessions never calculated, those with a stored report all the same (none, unless written by hand).
// One index probe per session: "session_id = ANY(…)" read the table whole while its statistics
// still said it was empty (a first large calculation), 50 ms a batch at 1,500 classes.
const WITH_REPORTS = `
SELECT x.id AS session_id FROM unnest($1::text[]) AS x(id)
WHERE EXISTS (SELECT FROM attendance_report r WHERE r.session_id = x.id)`;

// Reports are replaced whole, except the overridden ones, which the upsert then updates in place.
// Deleting first also drops the report of a person who left the roster (unless overridden), with
// no anti-join whose plan could go wrong on a large table.
const DELETE_REPLACED_REPORTS = `DELETE FROM attendance_report WHERE session_id = ANY($1::text[]) AND override_status IS NULL`;

// A recalculation keeps an override (rules section 8); when the calculated value under it changes,
// the report's override history says so, in the same transaction as the new values. Run before the
// upsert, which replaces the old value. For "recalculated", from and to are the calculated values.
// The overridden rows are locked first, so an override being set meanwhile commits before this reads
// them, and each event is dated by the database's clock as it is written (as setOverride's are),
// not by the batch's clock read before the calculation: the history's order is the order of writes.
const RECORD_RECALCULATED = `
INSERT INTO override_event (id, session_id, identity, academy_id, at, action, from_status, to_status, calculated_status)
SELECT gen_random_uuid()::text, r.session_id, r.identity, r.academy_id, clock_timestamp(), 'recalculated'::"OverrideAction", r.status::text::"OverrideStatus",
  x.status::"OverrideStatus", x.status::"AttendanceStatus"
FROM unnest($1::text[], $2::text[], $3::text[]) AS x(session_id, identity, status)
JOIN attendance_report r ON r.session_id = x.session_id AND r.identity = x.identity
WHERE r.override_status IS NOT NULL AND r.status::text <> x.status
ORDER BY r.session_id, r.identity
FOR UPDATE OF r`;

// Live views hear of a new report on the channel ingest uses (delivered at commit). Each session
// keeps the fingerprint of the calculation behind its reports, the inputs it covers and the policy
// version it used: $1, one JSON array of them (markedEntry). One JSON text rather than a jsonb[]
// array: pg would escape every quote of every session's 4 kB of inputs into the array's text.
const MARK_CALCULATED = `
WITH done AS (
  UPDATE session s SET is_calculated = true, calculated_at = $2, report_fingerprint = x.fingerprint,
    report_inputs = x.inputs, policy_version = x.policy_version, updated_at = now()
  FROM json_to_recordset($1::json) AS x(id text, fingerprint text, inputs jsonb, policy_version int)
  WHERE s.id = x.id RETURNING s.id
)
SELECT pg_notify('rollcall_live', json_build_object('sessionId', id, 'event', 'calculated')::text) FROM done`;

// The reports a recalculation replaces, as compared (report-changes.ts): read before they are.
const LOAD_PREVIOUS = `
SELECT r.session_id, r.identity, p.name, r.role::text AS role, r.status::text AS status, r.attended_seconds,
  r.percentage, r.is_late, r.late_minutes
FROM attendance_report r LEFT JOIN person p ON p.id = r.person_id
WHERE r.session_id = ANY($1::text[])`;

// One record per calculation, in the order of $1 (lib/calculation/calculation-history.ts reads them).
const RECORD_CALCULATIONS = `
INSERT INTO calculation (id, session_id, academy_id, at, trigger, policy_version, fingerprint, changes, policy_application_id)
SELECT gen_random_uuid()::text, x.session_id, x.academy_id, $6, $7::"CalculationTrigger", x.policy_version, x.fingerprint,
  x.changes, $8
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::jsonb[])
  AS x(session_id, academy_id, policy_version, fingerprint, changes)`;

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * Calculates the attendance of sessions from the log and writes their reports: a few batched
 * queries per batch (sessions, rosters, events), the pure calculation, and one transaction per
 * batch, so a crash leaves no partial report. Each batch holds the sessions' locks exclusively
 * (webhooks share them), so two calculations of a session never overlap and an event arriving
 * meanwhile marks it uncalculated again. Idempotent: the same log gives the same rows.
 */
export async function calculateSessions(options: CalculateSessionsOptions): Promise<CalculationSummary> {
  const started = performance.now();
  const { pool, force = false, requestedAt, trigger, now, batchSize = 250, concurrency = 2, onProgress } = options;
  const run: BatchRun = {
    force,
    requestedAt,
    trigger,
    now,
    policyVersion: options.policyVersion ?? null,
    policyApplicationId: options.policyApplicationId ?? null,
    profile: options.profile,
    copy: false,
  };
  const ids = [...new Set(options.sessionIds)].sort();
  const summary: CalculationSummary = {
    sessions: 0,
    skipped: 0,
    students: 0,
    teachers: 0,
    guests: 0,
    statuses: { present: 0, late: 0, partial: 0, absent: 0 },
    failures: [],
    durationMs: 0,
  };
  // Two batches at a time, each on its own connection in its own transaction: while one waits on
  // the database (reading, writing), the other is calculated, so both cores work. The batches hold
  // disjoint sets of locks, each taken in id order, so they cannot deadlock with each other or with
  // another calculation. After a failure no new batch starts; the one in flight finishes.
  let next = 0;
  let finished = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < ids.length) {
      const batch = ids.slice(next, next + batchSize);
      next += batchSize;
      try {
        await calculateBatch(pool, batch, run, summary);
      } catch (error) {
        failed = true;
        throw error;
      }
      finished += batch.length;
      onProgress?.(finished, ids.length);
    }
  };
  // The embedded PGlite runs one transaction at a time: a second lane would only queue behind the first.
  const parallel = ids.length > batchSize && concurrency > 1 && (await poolTakesCopy(pool));
  const lanes = await Promise.allSettled(Array.from({ length: parallel ? concurrency : 1 }, lane));
  const rejected = lanes.find((each) => each.status === "rejected");
  if (rejected) throw rejected.reason;
  summary.durationMs = performance.now() - started;
  return summary;
}

/** The sessions' rows as the calculation reads them, with the policy version it uses (see policyVersion). */
export async function loadSessionRows(
  client: pg.PoolClient,
  ids: string[],
  policyVersion: number | null = null,
): Promise<SessionRow[]> {
  return (await client.query<SessionRow>(LOAD_SESSIONS, [ids, policyVersion])).rows;
}

/**
 * The sessions' rosters and events (each session's room's webhooks around it), by session id. The
 * events are parsed when asked for, one session at a time and not kept (loadSessionEventTexts).
 */
export async function loadRostersAndEvents(client: pg.PoolClient, sessions: SessionRow[]) {
  const ids = sessions.map((session) => session.id);
  const rosters = groupBy(
    ids.length ? (await client.query<RosterRow>(LOAD_ROSTERS, [ids])).rows : [],
    (row) => row.session_id,
  );
  const texts = await loadSessionEventTexts(
    client,
    sessions.map((session) => ({
      id: session.id,
      livekitScope: session.livekit_scope,
      roomName: session.room_name,
      scheduledStart: session.scheduled_start,
      scheduledEnd: session.scheduled_end,
    })),
  );
  const events = { get: (sessionId: string): AttendanceEvent[] => parseSessionEvents(texts.get(sessionId) ?? null) };
  return { rosters, events };
}

/**
 * The pure calculation of one session from its row, roster and events, and the fingerprint of its
 * inputs; throws on an invalid policy. `values` replaces the session's policy version (a preview).
 */
export function calculateOne(
  session: SessionRow,
  rosterRows: RosterRow[],
  events: AttendanceEvent[],
  values: PolicyValues = session.policy_values,
) {
  const input = attendanceInputOf(session, rosterRows, events, values);
  return { result: calculateAttendance(input), ...fingerprintWithInputs(input) };
}

/** One session's calculated rows as a recalculation's record compares them (report-changes.ts). */
export function comparedRows(result: ReturnType<typeof calculateAttendance>, rosterRows: RosterRow[]): ComparedRow[] {
  const names = new Map(rosterRows.map((entry) => [entry.livekit_identity, entry.name]));
  return [...result.people, ...result.guests].map((person) => ({
    identity: person.identity,
    name: names.get(person.identity) ?? null,
    role: person.role,
    status: person.status,
    attendedSeconds: person.attendedSeconds,
    percentage: person.percentage,
    isLate: person.isLate,
    lateMinutes: person.lateMinutes,
  }));
}

interface PreviousRow {
  session_id: string;
  identity: string;
  name: string | null;
  role: ComparedRow["role"];
  status: AttendanceStatus;
  attended_seconds: number;
  percentage: number;
  is_late: boolean;
  late_minutes: number;
}

/** The stored reports of sessions, as compared (report-changes.ts), by session id. */
export async function loadStoredRows(client: pg.PoolClient, sessionIds: string[]): Promise<Map<string, ComparedRow[]>> {
  const rows = sessionIds.length ? (await client.query<PreviousRow>(LOAD_PREVIOUS, [sessionIds])).rows : [];
  const bySession = new Map<string, ComparedRow[]>();
  for (const row of rows) {
    const compared: ComparedRow = {
      identity: row.identity,
      name: row.name,
      role: row.role,
      status: row.status,
      attendedSeconds: row.attended_seconds,
      percentage: row.percentage,
      isLate: row.is_late,
      lateMinutes: row.late_minutes,
    };
    bySession.set(row.session_id, [...(bySession.get(row.session_id) ?? []), compared]);
  }
  return bySession;
}

/** What the pure core reads of one session: its schedule, policy (validated), roster and events. */
function attendanceInputOf(
  session: SessionRow,
  rosterRows: RosterRow[],
  events: AttendanceEvent[],
  values: PolicyValues,
): AttendanceInput {
  const policy = policyForType(values, session.type);
  validatePolicy(policy);
  const roster: RosterEntry[] = rosterRows
    .filter((entry) => entry.livekit_identity)
    .map((entry) => ({
      identity: entry.livekit_identity!,
      personId: entry.person_id,
      role: entry.role,
      name: entry.name,
    }));
  return {
    scheduledStart: session.scheduled_start.getTime(),
    scheduledEnd: session.scheduled_end.getTime(),
    policy,
    roster,
    events,
    timeZone: session.timezone,
  };
}

/** One person's report as the calculation writes it (UPSERT_REPORTS, COPY_REPORTS) and verify compares it. */
export function reportRow(
  session: SessionRow,
  result: ReturnType<typeof calculateAttendance>,
  person: PersonAttendance,
): ReportRow {
  return [
    session.id,
    person.identity,
    session.academy_id,
    person.personId,
    person.role,
    person.status,
    person.attendedSeconds,
    Math.round(result.sessionSeconds),
    person.percentage,
    person.isLate,
    person.lateMinutes,
    person.firstJoinAt,
    person.lastLeaveAt,
    storedIntervalsJson(result.provenance.get(person.identity) ?? []),
    person.connectionCount,
    person.explanation,
    JSON.stringify(person.policy),
  ];
}

function countInto(summary: CalculationSummary, person: PersonAttendance): void {
  if (person.role === "guest") summary.guests += 1;
  else if (person.role === "teacher") summary.teachers += 1;
  else {
    summary.students += 1;
    summary.statuses[person.status] += 1;
  }
}

/** One session calculated in a batch: what is recorded of it beside its reports. */
interface CalculatedSession {
  session: SessionRow;
  fingerprint: string;
  /** Its entry of MARK_CALCULATED's JSON array (markedEntry), written at once, as its reports are. */
  marked: string;
  /** As a recalculation's record compares them; a first calculation has nothing to compare (empty). */
  rows: ComparedRow[];
}

interface BatchRun {
  force: boolean;
  requestedAt: Date | undefined;
  trigger: CalculationTrigger;
  now: Date | undefined;
  policyVersion: number | null;
  policyApplicationId: string | null;
  /** Whether first reports are copied in (COPY FROM STDIN); set once the database is known. */
  copy: boolean;
  /** Where each batch adds the time of its phases (CalculateSessionsOptions.profile). */
  profile: Record<string, number> | undefined;
}

/** Adds the time since the batch's last lap to a phase (CalculateSessionsOptions.profile); free without one. */
function lapTimer(profile: Record<string, number> | undefined): (phase: string) => void {
  if (!profile) return () => undefined;
  let last = performance.now();
  return (phase) => {
    const at = performance.now();
    profile[phase] = (profile[phase] ?? 0) + (at - last);
    last = at;
  };
}

/** Whether a pool's database takes COPY FROM STDIN: PostgreSQL does, the embedded PGlite does not. */
const copyCapable = new WeakMap<pg.Pool, Promise<boolean>>();

function takesCopy(pool: pg.Pool, client: pg.PoolClient): Promise<boolean> {
  let answer = copyCapable.get(pool);
  if (!answer) {
    answer = client
      .query<{ version: string }>("SELECT version()")
      .then(({ rows }) => !/PGlite|emscripten/i.test(rows[0]?.version ?? ""));
    copyCapable.set(pool, answer);
  }
  return answer;
}

async function poolTakesCopy(pool: pg.Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    return await takesCopy(pool, client);
  } finally {
    client.release();
  }
}

/** COPY's text line of a report, the calculation's clock and kind (copyTail) appended. */
function copyLine(row: ReportRow, tail: string): string {
  const iso = (ms: number | null) => (ms === null ? "\\N" : isoTime(ms));
  return (
    `${copyText(row[0])}\t${copyText(row[1])}\t${copyText(row[2])}\t${copyText(row[3])}\t${row[4]}\t${row[5]}` +
    `\t${row[6]}\t${row[7]}\t${row[8]}\t${row[9] ? "t" : "f"}\t${row[10]}\t${iso(row[11])}\t${iso(row[12])}` +
    `\t${copyText(row[13])}\t${row[14]}\t${copyText(row[15])}\t${copyText(row[16])}${tail}`
  );
}

/** Calculated by the scheduler or the sweep, not asked for by someone (the reports' isAutoCalculated). */
const isAuto = (run: BatchRun) => run.trigger === "scheduled" || run.trigger === "sweep";

const copyTail = (isAutoCalculated: boolean, now: Date) => `\t${isAutoCalculated ? "t" : "f"}\t${now.toISOString()}\n`;

/**
 * The sessions whose reports are all new: never calculated, and no report stored. Asked before
 * they are calculated (the batch holds their locks), so their reports can be written for COPY as
 * they are made.
 */
async function firstCalculations(client: pg.PoolClient, sessions: SessionRow[]): Promise<Set<string>> {
  const never = sessions.filter((session) => session.calculated_at === null).map((session) => session.id);
  if (!never.length) return new Set();
  const stored = new Set(
    (await client.query<{ session_id: string }>(WITH_REPORTS, [never])).rows.map((row) => row.session_id),
  );
  return new Set(never.filter((id) => !stored.has(id)));
}

/** A session's entry of MARK_CALCULATED's JSON array: { id, fingerprint, inputs, policy_version }. */
function markedEntry(session: SessionRow, fingerprint: string, inputs: StoredInputs): string {
  return (
    `{"id":${JSON.stringify(session.id)},"fingerprint":"${fingerprint}",` +
    `"inputs":${JSON.stringify(inputs)},"policy_version":${session.policy_version}}`
  );
}

/** Reports as UPSERT_REPORTS takes them: one array per column, then the calculation's kind and clock. */
const upsertValues = (reports: ReportRow[], isAutoCalculated: boolean, now: Date) => [
  ...REPORT_COLUMNS.map((_, c) => reports.map((row) => row[c])),
  isAutoCalculated,
  now,
];

/**
 * The batch's writes: the record of each calculation with what changed since the one before (read
 * before the reports are replaced; a first calculation has none to compare), the history of changed
 * calculations under overrides, the reports, the sessions' state. A session's first reports have
 * nothing to replace or keep: they are copied in (`copied`, written as they were made), or inserted
 * where COPY is not taken.
 */
async function writeReports(
  client: pg.PoolClient,
  {
    done,
    first,
    reports,
    copied,
    run,
    now,
    lap,
  }: {
    done: CalculatedSession[];
    first: Set<string>;
    reports: ReportRow[];
    copied: CopyInput | null;
    run: BatchRun;
    now: Date;
    lap: (phase: string) => void;
  },
): Promise<void> {
  const ids = done.map((each) => each.session.id);
  const previous = await loadStoredRows(
    client,
    done.filter((each) => each.session.calculated_at !== null).map((each) => each.session.id),
  );
  const changes: (RowChange[] | null)[] = done.map((each) =>
    each.session.calculated_at === null ? null : reportChanges(previous.get(each.session.id) ?? [], each.rows),
  );
  lap("previous reports");
  await client.query(RECORD_CALCULATIONS, [
    ids,
    done.map((each) => each.session.academy_id),
    done.map((each) => each.session.policy_version),
    done.map((each) => each.fingerprint),
    changes.map((each) => (each === null ? null : JSON.stringify(each))),
    now,
    run.trigger,
    run.policyApplicationId,
  ]);
  lap("calculation records");
  const isAutoCalculated = isAuto(run);
  const replacedIds = ids.filter((id) => !first.has(id));
  if (replacedIds.length) {
    const replaced = reports.filter((row) => !first.has(row[0]));
    await client.query(RECORD_RECALCULATED, [
      replaced.map((row) => row[0]),
      replaced.map((row) => row[1]),
      replaced.map((row) => row[5]),
    ]);
    lap("override events");
    await client.query(DELETE_REPLACED_REPORTS, [replacedIds]);
    lap("delete reports");
    await client.query(UPSERT_REPORTS, upsertValues(replaced, isAutoCalculated, now));
    lap("write reports");
  }
  if (copied && !copied.isEmpty) {
    await copyFrom(client, COPY_REPORTS, copied.buffers());
    lap("write first reports");
  }
  const added = first.size && !copied ? reports.filter((row) => first.has(row[0])) : [];
  if (added.length) {
    await client.query(UPSERT_REPORTS, upsertValues(added, isAutoCalculated, now));
    lap("write first reports");
  }
  await client.query(MARK_CALCULATED, [`[${done.map((each) => each.marked).join(",")}]`, now]);
  lap("mark calculated");
}

async function calculateBatch(
  pool: pg.Pool,
  batch: string[],
  run: BatchRun,
  summary: CalculationSummary,
): Promise<void> {
  const { force, requestedAt } = run;
  const lap = lapTimer(run.profile);
  const client = await pool.connect();
  lap("connect");
  try {
    run.copy = await takesCopy(pool, client);
    await client.query("BEGIN");
    await client.query(LOCK_SESSIONS, [batch]);
    lap("lock");
    // Taken once the locks are held: two forced runs queued at once commit in lock order, and a
    // clock read before the wait would let the later commit carry the earlier time, older than
    // the request the dashboard is waiting on (calculatedAt >= requestedAt).
    const now = run.now ?? (await client.query<{ now: Date }>("SELECT clock_timestamp() AS now")).rows[0]!.now;
    const sessions = await loadSessionRows(client, batch, run.policyVersion);
    lap("load sessions");
    const answered = (session: SessionRow) =>
      requestedAt !== undefined &&
      session.is_calculated &&
      session.calculated_at !== null &&
      session.calculated_at.getTime() >= requestedAt.getTime();
    const candidates = sessions.filter(
      (session) => session.cancelled_at === null && (force ? !answered(session) : !session.is_calculated),
    );
    const { rosters, events } = await loadRostersAndEvents(client, candidates);
    lap("load rosters and events");

    const first = await firstCalculations(client, candidates);
    lap("first calculations");

    // A session's first reports go straight into COPY's input (off the heap) as they are made;
    // the others are kept as rows for the upsert and the override history.
    const copied = run.copy ? new CopyInput() : null;
    const tail = copyTail(isAuto(run), now);
    const reports: ReportRow[] = [];
    const done: CalculatedSession[] = [];
    const failuresBefore = summary.failures.length;
    for (const session of candidates) {
      try {
        const roster = rosters.get(session.id) ?? [];
        const { result, fingerprint, inputs } = calculateOne(session, roster, events.get(session.id));
        // A class whose window has not ended has no report (rules section 5), forced or not: an open
        // connection would be counted up to an end that has not come.
        if (result.windowEnd > now.getTime()) continue;
        const people = [...result.people, ...result.guests];
        const rows = people.map((person) => reportRow(session, result, person));
        const compared = session.calculated_at === null ? [] : comparedRows(result, roster);
        const marked = markedEntry(session, fingerprint, inputs);
        const lines = copied && first.has(session.id) ? rows.map((row) => copyLine(row, tail)) : null;
        // Nothing of a session is kept until all of it is made: a failure leaves no row behind.
        if (copied && lines) for (const line of lines) copied.write(line);
        else reports.push(...rows);
        for (const person of people) countInto(summary, person);
        done.push({ session, fingerprint, marked, rows: compared });
      } catch (error) {
        summary.failures.push({ sessionId: session.id, error: (error as Error).message });
      }
    }
    summary.skipped += batch.length - done.length - (summary.failures.length - failuresBefore);
    lap("calculate");
    if (done.length) await writeReports(client, { done, first, reports, copied, run, now, lap });
    await client.query("COMMIT");
    lap("commit");
    summary.sessions += done.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
