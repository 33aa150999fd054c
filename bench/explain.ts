// bench/explain: the plans of the hot queries on realistic data. A fresh PostgreSQL database gets
// about a year of classes (5 academies, teachers reusing their rooms, students on many rosters, the
// webhook log of every class held, reports of every class calculated); then the real code of each
// dashboard page, API call and job runs once to warm up and once with auto_explain on its
// connections (every statement, nested ones inside the SQL functions too, with actual times, sent
// back to this client as LOG messages). It fails if any plan reads a large table with a Seq Scan.
//
//   npm run bench:explain -- [--classes 10000]
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../lib/generated/prisma/client.ts";
import { WebhookWriter } from "../lib/ingest/webhook-writer.ts";
import { recordWebhookEvent } from "../lib/ingest/record-webhook-event.ts";
import { getSessionReport } from "../lib/reports/get-session-report.ts";
import { getSessionPresence } from "../lib/presence/get-session-presence.ts";
import { listEventLog, ZEventLogFilterSchema } from "../lib/event-log/event-log.ts";
import { getRegister, ZRegisterFilterSchema } from "../lib/register/register.ts";
import { getStudentAttendance } from "../lib/students/student-attendance.ts";
import { listSessionsOverview } from "../lib/sessions/sessions-overview.ts";
import { ZSessionsFilterSchema } from "../lib/sessions/sessions-filter.ts";
import { listSessions } from "../lib/sessions/list-sessions.ts";
import { ZListSessionsQuerySchema } from "../lib/sessions/session-schemas.ts";
import { findUnclosedConnections } from "../lib/presence/unclosed-connections.ts";
import { findSessionsToCalculate } from "../lib/calculation/find-sessions-to-calculate.ts";
import { arg, createBenchDatabase, machineLine } from "./support.ts";

const CLASSES = Number(arg("classes", "10000"));
/** Tables that grow with use: a Seq Scan on one of them is a query that gets slower every week. */
const LARGE_TABLES = new Set([
  "session",
  "session_roster",
  "person",
  "webhook_event",
  "attendance_report",
  "override_event",
]);
const ACADEMIES = 5;
const ROSTER_STUDENTS = 10;

/** About a year of classes, 35 days of it still to come, spread over the academies. */
async function generate(pool: pg.Pool, classes: number, now: Date) {
  const teachers = Math.max(2, Math.round(classes / ACADEMIES / 60));
  const students = Math.max(40, Math.round(classes / ACADEMIES / 4));
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, params);
  await q(`SELECT setseed(0.42)`);
  await q(
    `INSERT INTO academy (id, name, slug) SELECT 'bench-a' || a, 'Academy ' || a, 'bench-a' || a FROM generate_series(0, $1 - 1) a`,
    [ACADEMIES],
  );
  await q(
    `INSERT INTO person (id, academy_id, external_id, role, name, livekit_identity)
     SELECT 'p-a' || a || '-t' || t, 'bench-a' || a, 'a' || a || '-t' || t, 'teacher'::"PersonRole", 'Teacher ' || t, 'a' || a || '-t' || t
     FROM generate_series(0, $1 - 1) a, generate_series(0, $2 - 1) t`,
    [ACADEMIES, teachers],
  );
  await q(
    `INSERT INTO person (id, academy_id, external_id, role, name, livekit_identity)
     SELECT 'p-a' || a || '-s' || s, 'bench-a' || a, 'a' || a || '-s' || s, 'student'::"PersonRole", 'Student ' || s, 'a' || a || '-s' || s
     FROM generate_series(0, $1 - 1) a, generate_series(0, $2 - 1) s`,
    [ACADEMIES, students],
  );
  // Class i: academy i % 5, its teacher's own room, one hour, evenly spread over 365 days.
  await q(
    `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end, teacher_id, is_calculated, calculated_at, cancelled_at, updated_at)
     SELECT 's-' || i, 'bench-a' || (i % $2), (ARRAY['quran', 'academic', 'interactive'])[1 + i % 3]::"SessionType", 'Class ' || i,
       'room-a' || (i % $2) || '-t' || ((i / $2) % $3), st, st + interval '1 hour', 'p-a' || (i % $2) || '-t' || ((i / $2) % $3),
       st + interval '2 hours' < $4::timestamptz, CASE WHEN st + interval '2 hours' < $4::timestamptz THEN st + interval '75 minutes' END,
       CASE WHEN i % 50 = 7 THEN st - interval '1 day' END, st - interval '30 days'
     FROM generate_series(0, $1 - 1) i,
       LATERAL (SELECT date_trunc('minute', $4::timestamptz - interval '330 days' + (i * (365.0 * 24 * 60 / $1)) * interval '1 minute') AS st) t`,
    [classes, ACADEMIES, teachers, now],
  );
  await q(
    `INSERT INTO session_roster (session_id, person_id, role)
     SELECT s.id, s.teacher_id, 'teacher'::"RosterRole" FROM session s
     UNION ALL
     SELECT s.id, 'p-a' || (i % $1) || '-s' || ((i * 7 + k * 37) % $2), 'student'::"RosterRole"
     FROM session s, LATERAL (SELECT substr(s.id, 3)::int AS i) n, generate_series(0, $3 - 1) k`,
    [ACADEMIES, students, ROSTER_STUDENTS],
  );
  // The log of every class held: the room, then everyone's join and leave (one in ten leaves lost).
  const body = JSON.stringify({
    event: "participant_joined",
    room: { sid: "RM_x", name: "room" },
    participant: { sid: "PA_x", identity: "x", state: "ACTIVE", joinedAt: "0" },
    createdAt: "0",
    id: "EV_x",
  });
  await q(
    `INSERT INTO webhook_event (id, event, event_time, created_at, received_at, room_name, room_sid, participant_sid, identity, participant_kind, is_recorder, participant_joined_at, raw_body)
     SELECT 'EV_' || s.id || '_' || e.kind, e.kind, e.at, e.at, e.at + interval '150 ms', s.room_name, 'RM_' || s.id, NULL, NULL, NULL, false, NULL, $2
     FROM session s, LATERAL (VALUES ('room_started', s.scheduled_start - interval '3 minutes'), ('room_finished', s.scheduled_end + interval '4 minutes')) e(kind, at)
     WHERE s.scheduled_start < $1::timestamptz AND s.cancelled_at IS NULL
     UNION ALL
     SELECT 'EV_' || s.id || '_' || p.livekit_identity || '_' || e.kind, e.kind, e.at, e.at, e.at + interval '150 ms', s.room_name, 'RM_' || s.id,
       'PA_' || s.id || '_' || p.livekit_identity, p.livekit_identity, NULL, false, CASE WHEN e.kind = 'participant_left' THEN j.joined END, $2
     FROM session s JOIN session_roster r ON r.session_id = s.id JOIN person p ON p.id = r.person_id,
       LATERAL (SELECT s.scheduled_start + random() * interval '12 minutes' AS joined, s.scheduled_end - random() * interval '15 minutes' AS left_at, random() < 0.1 AS lost) j,
       LATERAL (VALUES ('participant_joined', j.joined), ('participant_left', j.left_at)) e(kind, at)
     WHERE s.scheduled_start < $1::timestamptz AND s.cancelled_at IS NULL AND (e.kind = 'participant_joined' OR NOT j.lost) AND e.at < $1::timestamptz`,
    [now, body],
  );
  await q(
    `INSERT INTO attendance_report (session_id, identity, academy_id, person_id, role, status, attended_seconds, session_seconds, percentage, is_late, late_minutes,
       first_join_at, last_leave_at, intervals, connection_count, explanation, policy, is_auto_calculated, calculated_at)
     SELECT s.id, p.livekit_identity, s.academy_id, p.id, r.role::text::"ReportRole", (ARRAY['present', 'late', 'partial', 'absent'])[1 + abs(hashtext(s.id || p.id)) % 4]::"AttendanceStatus",
       3000, 3600, 0.83, false, 0, s.scheduled_start, s.scheduled_end, '[]', 1, 'Present for 50 of 60 minutes.', '{}', true, s.calculated_at
     FROM session s JOIN session_roster r ON r.session_id = s.id JOIN person p ON p.id = r.person_id
     WHERE s.is_calculated`,
  );
  await q(`VACUUM ANALYZE`);
  const counts = await q(
    `SELECT (SELECT count(*) FROM session)::int AS sessions, (SELECT count(*) FROM session_roster)::int AS roster, (SELECT count(*) FROM person)::int AS people,
       (SELECT count(*) FROM webhook_event)::int AS webhooks, (SELECT count(*) FROM attendance_report)::int AS reports`,
  );
  return counts.rows[0] as Record<string, number>;
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

const VERBOSE = process.argv.includes("--verbose");

/** One line per plan node, indented: what it reads and how. */
function outline(node: PlanNode, depth = 0): string {
  const what = [
    node["Node Type"],
    node["Relation Name"] && `on ${node["Relation Name"]}`,
    node["Index Name"] && `using ${node["Index Name"]}`,
  ]
    .filter(Boolean)
    .join(" ");
  const details = [
    node["Index Cond"] && `cond ${node["Index Cond"]}`,
    node.Filter && `filter ${node.Filter.slice(0, 160)}`,
    `rows ${node["Actual Rows"]}×${node["Actual Loops"]}`,
    node["Rows Removed by Filter"] && `removed ${node["Rows Removed by Filter"]}`,
  ].filter(Boolean);
  return [
    `${"  ".repeat(depth)}${what} (${details.join("; ")})`,
    ...(node.Plans ?? []).map((child) => outline(child, depth + 1)),
  ].join("\n");
}

interface CapturedPlan {
  query: string;
  ms: number;
  plan: PlanNode;
}

function walk(node: PlanNode, visit: (node: PlanNode) => void) {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

const pools: pg.Pool[] = [];
/** A plain pool for arranging data and reading the catalog. */
function pool0(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
}

async function main() {
  const now = new Date();
  const database = await createBenchDatabase("postgres");
  let failed = false;
  try {
    const setup = pool0(database.url);
    const generatedAt = performance.now();
    const counts = await generate(setup, CLASSES, now);
    const generateSeconds = (performance.now() - generatedAt) / 1000;

    // The real code runs on pools whose every connection reports each statement's plan to us:
    // once as the planner chooses at this size (the times), once with sequential scans priced out,
    // so that a Seq Scan left means no index can serve the query, whatever the table's size.
    const indexes = new Map(
      (
        await pool0(database.url).query<{ index: string; table: string; leading: string }>(
          `SELECT i.indexrelid::regclass::text AS index, i.indrelid::regclass::text AS "table", a.attname AS leading
           FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
           WHERE i.indrelid::regclass::text IN (${[...LARGE_TABLES].map((table) => `'${table}'`).join(", ")})`,
        )
      ).rows.map((row) => [row.index.replaceAll('"', ""), row]),
    );
    let captured: CapturedPlan[] | null = null;
    const explaining = (seqScan: boolean) => {
      const pool = new pg.Pool({
        connectionString: database.url,
        max: 4,
        options: [
          "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on",
          "-c auto_explain.log_nested_statements=on -c auto_explain.log_format=json -c client_min_messages=log",
          seqScan ? "" : "-c enable_seqscan=off",
        ].join(" "),
      });
      pool.on("connect", (client) => {
        client.on("notice", (message) => {
          const text = message.message ?? "";
          const at = text.indexOf("plan:");
          if (!captured || at < 0) return;
          const explained = JSON.parse(text.slice(at + "plan:".length)) as { "Query Text": string; Plan: PlanNode };
          captured.push({
            query: explained["Query Text"],
            ms: Number(/duration: ([\d.]+) ms/.exec(text)?.[1] ?? NaN),
            plan: explained.Plan,
          });
        });
      });
      return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
    };
    const natural = explaining(true);
    const strict = explaining(false);

    const academyId = "bench-a0";
    const pick = async (sql: string, params: unknown[]) =>
      (await natural.pool.query<{ v: string }>(sql, params)).rows[0]!.v;
    // The newest calculated class of the first academy, its teacher, one of its students, its room.
    const calculatedSession = await pick(
      `SELECT id AS v FROM session WHERE academy_id = $1 AND is_calculated ORDER BY scheduled_start DESC LIMIT 1`,
      [academyId],
    );
    const teacherId = await pick(`SELECT teacher_id AS v FROM session WHERE id = $1`, [calculatedSession]);
    const studentId = await pick(
      `SELECT person_id AS v FROM session_roster WHERE session_id = $1 AND role = 'student' ORDER BY person_id LIMIT 1`,
      [calculatedSession],
    );
    const room = await pick(`SELECT room_name AS v FROM session WHERE id = $1`, [calculatedSession]);
    let ingested = 0;

    type Db = { pool: pg.Pool; prisma: PrismaClient };
    const steps: [string, (db: Db) => Promise<unknown>][] = [
      [
        "sessions page, all, by academy",
        ({ prisma }) =>
          listSessionsOverview(prisma, {
            scope: { academyId },
            timeZone: "UTC",
            filter: ZSessionsFilterSchema.parse({ view: "all" }),
            now,
          }),
      ],
      [
        "sessions page, today, by teacher",
        ({ prisma }) =>
          listSessionsOverview(prisma, {
            scope: { academyId, teacherId },
            timeZone: "UTC",
            filter: ZSessionsFilterSchema.parse({ view: "today" }),
            now,
          }),
      ],
      [
        "sessions page, ended, by teacher",
        ({ prisma }) =>
          listSessionsOverview(prisma, {
            scope: { academyId, teacherId },
            timeZone: "UTC",
            filter: ZSessionsFilterSchema.parse({ view: "ended" }),
            now,
          }),
      ],
      [
        "GET /api/v1/sessions",
        ({ prisma }) => listSessions(prisma, { academyId, query: ZListSessionsQuerySchema.parse({}), now }),
      ],
      ["session report", ({ prisma }) => getSessionReport(prisma, { academyId, sessionId: calculatedSession })],
      ["presence", ({ prisma }) => getSessionPresence(prisma, { academyId, sessionId: calculatedSession, now })],
      ["event log", ({ prisma }) => listEventLog(prisma, { academyId, filter: ZEventLogFilterSchema.parse({}) })],
      [
        "event log, one room",
        ({ prisma }) => listEventLog(prisma, { academyId, filter: ZEventLogFilterSchema.parse({ room }) }),
      ],
      [
        "register (this month)",
        ({ prisma }) =>
          getRegister(prisma, { scope: { academyId }, timeZone: "UTC", filter: ZRegisterFilterSchema.parse({}), now }),
      ],
      [
        "register, by teacher",
        ({ prisma }) =>
          getRegister(prisma, {
            scope: { academyId, teacherId },
            timeZone: "UTC",
            filter: ZRegisterFilterSchema.parse({}),
            now,
          }),
      ],
      [
        "student page (admin)",
        ({ prisma }) => getStudentAttendance(prisma, { scope: { academyId }, personId: studentId, timeZone: "UTC" }),
      ],
      [
        "student page (teacher)",
        ({ prisma }) =>
          getStudentAttendance(prisma, { scope: { academyId, teacherId }, personId: studentId, timeZone: "UTC" }),
      ],
      ["reconciliation: unclosed connections (7 days)", ({ pool }) => findUnclosedConnections(pool, { now, days: 7 })],
      [
        "due-calculation sweep (7 days)",
        ({ pool }) => findSessionsToCalculate(pool, { now, delayMinutes: 5, days: 7 }),
      ],
      [
        "ingest: a join in a held class",
        ({ pool }) =>
          recordWebhookEvent(
            pool,
            {
              id: `EV_bench_${ingested++}`,
              event: "participant_joined",
              eventTime: new Date(now.getTime() - 1000),
              createdAt: null,
              roomName: room,
              roomSid: "RM_bench",
              participantSid: "PA_bench",
              identity: "late-guest",
              participantKind: null,
              isRecorder: false,
              participantJoinedAt: null,
              disconnectReason: null,
              isUsed: true,
            },
            "{}",
            now,
            { apiKey: "bench", scope: "shared" },
          ),
      ],
      [
        // One write in flight: the first goes alone, the next 20 together (rollcall_record_webhooks).
        "ingest: 21 joins arriving together",
        ({ pool }) => {
          const writer = new WebhookWriter(pool, { inFlight: 1, maxInFlight: 1 });
          return Promise.all(
            Array.from({ length: 21 }, () =>
              writer.record(
                JSON.stringify({
                  id: `EV_bench_${ingested++}`,
                  livekit_scope: "shared",
                  event: "participant_joined",
                  event_time: new Date(now.getTime() - 1000).toISOString(),
                  received_at: now.toISOString(),
                  room_name: room,
                  identity: "late-guest",
                  is_recorder: false,
                  raw_body: "{}",
                }),
              ),
            ),
          );
        },
      ],
    ];

    /** What is wrong with a plan: a large table read whole, or an index scanned without its leading column. */
    const problems = (plan: PlanNode): string[] => {
      const found: string[] = [];
      const visit = (node: PlanNode) => {
        const table = node["Relation Name"];
        if (node["Node Type"] === "Seq Scan" && table && LARGE_TABLES.has(table)) found.push(`Seq Scan on ${table}`);
        const index = node["Index Name"] ? indexes.get(node["Index Name"]) : undefined;
        if (index) {
          const cond = node["Index Cond"];
          if (cond && !new RegExp(`\\b${index.leading}\\b`).test(cond))
            found.push(`${index.index} without its leading column ${index.leading}`);
        }
        for (const child of node.Plans ?? []) visit(child);
      };
      visit(plan);
      return found;
    };

    const rows: string[] = [];
    for (const [name, run] of steps) {
      await run(natural);
      captured = [];
      const started = performance.now();
      await run(natural);
      const ms = performance.now() - started;
      // Plans arrive as notices on the statement's connection, before its result.
      const plans: CapturedPlan[] = captured;
      captured = [];
      await run(strict);
      const strictPlans: CapturedPlan[] = captured;
      captured = null;
      const used = new Set<string>();
      for (const { plan } of plans)
        walk(plan, (node) => node["Index Name"] && indexes.has(node["Index Name"]) && used.add(node["Index Name"]));
      const wrong = new Set<string>();
      for (const { query, plan } of strictPlans) {
        const found = problems(plan);
        if (!found.length) continue;
        for (const problem of found) wrong.add(problem);
        console.error(`\n✗ ${name}: ${found.join(", ")} in\n${query.trim().slice(0, 600)}\n${outline(plan)}`);
      }
      failed ||= wrong.size > 0;
      if (VERBOSE)
        for (const { query, plan, ms } of plans)
          console.log(`\n— ${name} (${ms} ms)\n${query.trim().slice(0, 400)}\n${outline(plan)}`);
      const slowest = Math.max(0, ...plans.map((plan) => plan.ms));
      rows.push(
        `| ${name} | ${
          [...used]
            .sort()
            .map((index) => `\`${index}\``)
            .join(", ") || "—"
        } | ${wrong.size ? `**${[...wrong].join("; ")}**` : "none"} | ${plans.length} | ${slowest.toFixed(1)} ms | ${ms.toFixed(0)} ms |`,
      );
    }
    for (const { pool, prisma } of [natural, strict]) {
      await prisma.$disconnect();
      await pool.end();
    }
    console.log(
      `\nbench/explain — ${CLASSES} classes (${Object.entries(counts)
        .map(([table, n]) => `${n} ${table}`)
        .join(", ")}; generated in ${generateSeconds.toFixed(1)} s); ${database.label}; ${machineLine()}`,
    );
    console.log(
      `| query | indexes on large tables used | problem (sequential scans priced out) | statements | slowest statement | wall time |`,
    );
    console.log(`|---|---|---|---|---|---|`);
    for (const row of rows) console.log(row);
    console.log(
      failed
        ? "\nFAILED: a hot query reads a large table without a fitting index"
        : "\nevery hot query reads the large tables through a fitting index",
    );
  } finally {
    for (const pool of pools) await pool.end();
    await database.drop();
  }
  if (failed) process.exit(1);
}

await main();
