// bench/calculate: N finished classes of 30 students with realistic event streams, written straight
// into the database as ingest would have stored them, then the calculation of all of them, timed.
//
//   npm run bench:calculate -- [--sizes 100,10000] [--students 30] [--database postgres|embedded]
import pg from "pg";
import { createPool } from "../lib/db.ts";
import { parseWebhookBody } from "../lib/livekit/parse-webhook.ts";
import { calculateSessions } from "../lib/reports/calculate-sessions.ts";
import { createRng } from "../lib/simulation/random.ts";
import { planClass, simulateClass } from "../lib/simulation/simulate-class.ts";
import { toWebhookBody } from "../lib/simulation/webhook-payloads.ts";
import { arg, createBenchDatabase, machineLine } from "./support.ts";

const SIZES = arg("sizes", "100,10000").split(",").map(Number);
const STUDENTS = Number(arg("students", "30"));
const DATABASE = arg("database", "postgres");
const MIN = 60_000;
const CHUNK = 2_000;

async function insertRows(pool: pg.Pool, table: string, columns: string[], types: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const arrays = columns.map((_, c) => chunk.map((row) => row[c]));
    const params = types.map((type, c) => `$${c + 1}::${type}[]`).join(", ");
    await pool.query(`INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${params})`, arrays);
  }
}

/** Generates `count` finished classes (sessions, people, rosters, stored webhooks) for one academy. */
async function generate(pool: pg.Pool, count: number, label: string): Promise<{ sessionIds: string[]; roster: number; events: number }> {
  const rng = createRng(count * 7 + STUDENTS);
  const academyId = `bench-${label}`;
  await pool.query(`INSERT INTO academy (id, name, slug) VALUES ($1, $1, $1)`, [academyId]);
  // Written 500 classes at a time, so generating 10,000 classes never holds a gigabyte of bodies.
  let sessions: unknown[][] = [];
  let people: unknown[][] = [];
  let roster: unknown[][] = [];
  let events: unknown[][] = [];
  const sessionIds: string[] = [];
  let rosterCount = 0;
  let eventCount = 0;
  const receivedAt = new Date();
  const base = Date.now() - 3 * 24 * 60 * MIN;
  const flush = async () => {
    await insertRows(pool, "session", ["id", "academy_id", "type", "title", "room_name", "scheduled_start", "scheduled_end", "status"], ["text", "text", '"SessionType"', "text", "text", "timestamptz", "timestamptz", '"SessionStatus"'], sessions);
    await insertRows(pool, "person", ["id", "academy_id", "external_id", "role", "name", "livekit_identity"], ["text", "text", "text", '"PersonRole"', "text", "text"], people);
    await insertRows(pool, "session_roster", ["session_id", "person_id", "role"], ["text", "text", '"RosterRole"'], roster);
    await insertRows(
      pool,
      "webhook_event",
      ["id", "event", "event_time", "created_at", "received_at", "room_name", "room_sid", "participant_sid", "identity", "participant_kind", "is_recorder", "participant_joined_at", "disconnect_reason", "session_id", "academy_id", "matched", "raw_body"],
      ["text", "text", "timestamptz", "timestamptz", "timestamptz", "text", "text", "text", "text", "text", "boolean", "timestamptz", "text", "text", "text", "boolean", "text"],
      events,
    );
    rosterCount += roster.length;
    eventCount += events.length;
    sessions = [];
    people = [];
    roster = [];
    events = [];
  };
  for (let c = 0; c < count; c++) {
    const sessionId = `${label}-s${c}`;
    sessionIds.push(sessionId);
    const plan = planClass(rng, { roomName: `${label}-room-${c}`, start: base + (c % 500) * 5 * MIN, minutes: 60, size: STUDENTS, identityPrefix: `${label}-${c}` });
    sessions.push([sessionId, academyId, "academic", `Class ${c}`, plan.roomName, new Date(plan.start), new Date(plan.end), "ended"]);
    for (const person of [{ ...plan.teacher, role: "teacher" }, ...plan.students.map((student) => ({ ...student, role: "student" }))]) {
      const personId = `${label}-p-${person.identity}`;
      people.push([personId, academyId, person.identity, person.role, person.name, person.identity]);
      roster.push([sessionId, personId, person.role]);
    }
    for (const { payload } of simulateClass(plan, rng)) {
      const body = toWebhookBody(payload);
      const e = parseWebhookBody(body, receivedAt);
      events.push([
        e.id, e.event, e.eventTime, e.createdAt, receivedAt, e.roomName, e.roomSid, e.participantSid, e.identity, e.participantKind,
        e.isRecorder, e.participantJoinedAt, e.disconnectReason, sessionId, academyId, e.isUsed, body,
      ]);
    }
    if (sessions.length === 500) await flush();
  }
  await flush();
  return { sessionIds, roster: rosterCount, events: eventCount };
}

async function main() {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 4);
  const rows: string[] = [];
  let allMet = true;
  try {
    for (const size of SIZES) {
      const generatedAt = performance.now();
      const { sessionIds, roster, events } = await generate(pool, size, `n${size}`);
      // Settle the freshly written tables as a production database would be (statistics, visibility map).
      await pool.query("VACUUM ANALYZE webhook_event, session, session_roster, person, attendance_report");
      const generateSeconds = (performance.now() - generatedAt) / 1000;

      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const started = performance.now();
      const summary = await calculateSessions({ pool, sessionIds, trigger: "cli" });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);

      const stored = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM attendance_report WHERE academy_id = $1", [`bench-n${size}`])).rows[0]!.n;
      if (summary.failures.length || summary.sessions !== size || stored !== summary.people + summary.guests || summary.people !== roster) {
        throw new Error(`wrong result for ${size}: ${JSON.stringify({ ...summary, stored, roster })}`);
      }
      const target = size <= 100 ? 1 : 30;
      const met = seconds < target * (size / (size <= 100 ? 100 : 10_000));
      allMet &&= met;
      const s = summary.statuses;
      rows.push(
        `${String(size).padStart(7)}  ${String(events).padStart(9)}  ${seconds.toFixed(2).padStart(7)} s  ${(size / seconds).toFixed(0).padStart(7)}/s  ${(summary.people / seconds).toFixed(0).padStart(8)}/s  ${(peakRss / 2 ** 20).toFixed(0).padStart(6)} MiB  ${generateSeconds.toFixed(1).padStart(6)} s  ${s.present}/${s.late}/${s.partial}/${s.absent} (+${summary.guests} guests)`,
      );
    }
  } finally {
    await pool.end();
    await database.drop();
  }
  console.log(`\nbench/calculate — classes of ${STUDENTS} students; ${database.label}; ${machineLine()}`);
  console.log(`${"classes".padStart(7)}  ${"webhooks".padStart(9)}  ${"time".padStart(9)}  ${"sessions".padStart(9)}  ${"people".padStart(10)}  ${"peak RSS".padStart(10)}  ${"generate".padStart(8)}  present/late/partial/absent`);
  for (const row of rows) console.log(row);
  console.log(`targets (100 classes < 1 s, 10,000 < 30 s): ${allMet ? "met" : "NOT met"}`);
}

await main();
