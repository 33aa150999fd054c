import "server-only";
import type pg from "pg";
import { parseWebhookBody } from "../livekit/parse-webhook.ts";
import { createRng, type Rng } from "./random.ts";
import { planClass, simulateClass } from "./simulate-class.ts";
import { toWebhookBody } from "./webhook-payloads.ts";

// Finished classes written straight into the database as ingest would have stored them (sessions,
// people, rosters and the webhook log), for benchmarks and tests that need many classes fast.

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

const WEBHOOK_COLUMNS: [string, string][] = [
  ["id", "text"],
  ["event", "text"],
  ["event_time", "timestamptz"],
  ["created_at", "timestamptz"],
  ["received_at", "timestamptz"],
  ["room_name", "text"],
  ["room_sid", "text"],
  ["participant_sid", "text"],
  ["identity", "text"],
  ["participant_kind", "text"],
  ["is_recorder", "boolean"],
  ["participant_joined_at", "timestamptz"],
  ["disconnect_reason", "text"],
  ["raw_body", "text"],
];

/** Rows waiting to be written, per table. */
interface Pending {
  sessions: unknown[][];
  people: unknown[][];
  roster: unknown[][];
  events: unknown[][];
}

const nothingPending = (): Pending => ({ sessions: [], people: [], roster: [], events: [] });

async function writePending(pool: pg.Pool, pending: Pending) {
  await insertRows(
    pool,
    "session",
    ["id", "academy_id", "type", "title", "room_name", "scheduled_start", "scheduled_end"],
    ["text", "text", '"SessionType"', "text", "text", "timestamptz", "timestamptz"],
    pending.sessions,
  );
  await insertRows(
    pool,
    "person",
    ["id", "academy_id", "external_id", "role", "name", "livekit_identity"],
    ["text", "text", "text", '"PersonRole"', "text", "text"],
    pending.people,
  );
  await insertRows(
    pool,
    "session_roster",
    ["session_id", "person_id", "role"],
    ["text", "text", '"RosterRole"'],
    pending.roster,
  );
  await insertRows(
    pool,
    "webhook_event",
    WEBHOOK_COLUMNS.map(([name]) => name),
    WEBHOOK_COLUMNS.map(([, type]) => type),
    pending.events,
  );
}

/** One class's rows: its session, its people and roster, and the webhooks it made as ingest stores them. */
function addClass(
  pending: Pending,
  plan: ReturnType<typeof planClass>,
  ids: { sessionId: string; academyId: string; label: string; title: string },
  rng: Rng,
  receivedAt: Date,
) {
  const { sessionId, academyId, label } = ids;
  pending.sessions.push([
    sessionId,
    academyId,
    "academic",
    ids.title,
    plan.roomName,
    new Date(plan.start),
    new Date(plan.end),
  ]);
  for (const person of [
    { ...plan.teacher, role: "teacher" },
    ...plan.students.map((student) => ({ ...student, role: "student" })),
  ]) {
    const personId = `${label}-p-${person.identity}`;
    pending.people.push([personId, academyId, person.identity, person.role, person.name, person.identity]);
    pending.roster.push([sessionId, personId, person.role]);
  }
  for (const { payload } of simulateClass(plan, rng)) {
    const body = toWebhookBody(payload);
    const e = parseWebhookBody(body, receivedAt);
    pending.events.push([
      e.id,
      e.event,
      e.eventTime,
      e.createdAt,
      receivedAt,
      e.roomName,
      e.roomSid,
      e.participantSid,
      e.identity,
      e.participantKind,
      e.isRecorder,
      e.participantJoinedAt,
      e.disconnectReason,
      body,
    ]);
  }
}

/** Stores `count` finished classes (sessions, people, rosters, stored webhooks) of one new academy. */
export async function storeFinishedClasses(
  pool: pg.Pool,
  {
    count,
    label,
    students,
    seed = count * 7 + students,
  }: { count: number; label: string; students: number; seed?: number },
): Promise<{ academyId: string; sessionIds: string[]; roster: number; events: number }> {
  const rng = createRng(seed);
  const academyId = `bench-${label}`;
  await pool.query(`INSERT INTO academy (id, name, slug) VALUES ($1, $1, $1)`, [academyId]);
  // Written 500 classes at a time, so generating 10,000 classes never holds a gigabyte of bodies.
  let pending = nothingPending();
  const sessionIds: string[] = [];
  let rosterCount = 0;
  let eventCount = 0;
  const receivedAt = new Date();
  const base = Date.now() - 3 * 24 * 60 * MIN;
  const flush = async () => {
    await writePending(pool, pending);
    rosterCount += pending.roster.length;
    eventCount += pending.events.length;
    pending = nothingPending();
  };
  for (let c = 0; c < count; c++) {
    const sessionId = `${label}-s${c}`;
    sessionIds.push(sessionId);
    const plan = planClass(rng, {
      roomName: `${label}-room-${c}`,
      start: base + (c % 500) * 5 * MIN,
      minutes: 60,
      size: students,
      identityPrefix: `${label}-${c}`,
    });
    addClass(pending, plan, { sessionId, academyId, label, title: `Class ${c}` }, rng, receivedAt);
    if (pending.sessions.length === 500) await flush();
  }
  await flush();
  return { academyId, sessionIds, roster: rosterCount, events: eventCount };
}
