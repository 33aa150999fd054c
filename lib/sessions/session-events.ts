import "server-only";
import { widestEventRange, type AttendanceEvent } from "../attendance/index.ts";
import { USED_EVENTS } from "../livekit/parse-webhook.ts";

export interface SessionSpan {
  id: string;
  /** Whose webhooks it reads: "shared" or its academy's id (lib/livekit/credentials.ts). */
  livekitScope: string;
  roomName: string;
  scheduledStart: Date;
  scheduledEnd: Date;
}

interface EventsRow {
  session_id: string;
  /** The session's webhooks as one JSON array of EventFields, or null for none. */
  events: string | null;
}

/** One webhook as LOAD_EVENTS writes it: id, event, time (ms), sid, identity, kind, recorder, joinedAt (ms). */
type EventFields = [string, string, number, string | null, string | null, string | null, boolean, number | null];

// One index range scan per session (livekit_scope, room_name, event_time); only the event types the
// rules read. A subquery per session, which the planner cannot merge into a join: a plain join let it
// hash the whole log (bench/explain.ts, the reconciliation over 7 days). Each session's webhooks come
// back as one JSON text of arrays: JSON.parse reads it at a third of the CPU pg's row-by-row parsing
// of 900,000 rows took, in the largest calculations. date_part, not extract: extract's epoch is a
// numeric (PostgreSQL 14 on), whose arithmetic cost twice date_part's float8 over a million rows.
const LOAD_EVENTS = `
SELECT x.session_id, (
  SELECT json_agg(json_build_array(w.id, w.event, date_part('epoch', w.event_time) * 1000, w.participant_sid,
    w.identity, w.participant_kind, w.is_recorder, date_part('epoch', w.participant_joined_at) * 1000))::text
  FROM webhook_event w
  WHERE w.livekit_scope = x.livekit_scope AND w.room_name = x.room_name AND w.event_time BETWEEN x.from_at AND x.to_at
    AND w.event = ANY($6::text[])
) AS events
FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS x(session_id, livekit_scope, room_name, from_at, to_at)`;

function toEvent(fields: EventFields): AttendanceEvent {
  const [id, type, eventMs, participantSid, identity, kind, isRecorder, joinedMs] = fields;
  return {
    id,
    type,
    // Whole milliseconds: timestamptz(3) times survive the float round trip only after rounding.
    time: Math.round(eventMs),
    participantSid,
    identity,
    kind,
    isRecorder,
    participantJoinedAt: joinedMs === null ? null : Math.round(joinedMs),
  };
}

/** Something that runs SQL with positional parameters: a pg pool or client, or Prisma through `viaPrisma`. */
export interface SqlRunner {
  query<T>(text: string, values: unknown[]): Promise<{ rows: T[] }>;
}

/** The same query through a Prisma client, so a read uses the connection its caller chose. */
export function viaPrisma(db: { $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> }): SqlRunner {
  return {
    query: async <T>(text: string, values: unknown[]) => ({ rows: await db.$queryRawUnsafe<T[]>(text, ...values) }),
  };
}

/** One session's webhooks from LOAD_EVENTS's JSON text (null: none). */
export function parseSessionEvents(text: string | null): AttendanceEvent[] {
  return text === null ? [] : (JSON.parse(text) as EventFields[]).map(toEvent);
}

/**
 * The log's webhooks that can matter to each session (rules section 1): its room's in its scope
 * (signed with the key its academy uses, DESIGN.md "Tenancy"), timed from 60
 * minutes before its start to 60 minutes after its scheduled end. The core narrows them to the
 * session's own once it knows the window end. Matched when read, so a session created or renamed
 * after its webhooks arrived gets them, and back-to-back classes in one room share the ones between.
 * Each session's as the JSON text the database wrote (parseSessionEvents reads one): a batch of
 * calculations parses each session's just before calculating it, so only one session's events are
 * ever alive as objects, and the garbage collector no longer copies a whole batch's from space to
 * space while it is calculated.
 */
export async function loadSessionEventTexts(
  db: SqlRunner,
  sessions: readonly SessionSpan[],
): Promise<Map<string, string | null>> {
  const bySession = new Map<string, string | null>(sessions.map((session) => [session.id, null]));
  if (!sessions.length) return bySession;
  const ranges = sessions.map((session) =>
    widestEventRange({
      scheduledStart: session.scheduledStart.getTime(),
      scheduledEnd: session.scheduledEnd.getTime(),
    }),
  );
  const { rows } = await db.query<EventsRow>(LOAD_EVENTS, [
    sessions.map((session) => session.id),
    sessions.map((session) => session.livekitScope),
    sessions.map((session) => session.roomName),
    ranges.map((range) => new Date(range.from).toISOString()),
    ranges.map((range) => new Date(range.to).toISOString()),
    USED_EVENTS,
  ]);
  for (const row of rows) bySession.set(row.session_id, row.events);
  return bySession;
}

/** The same webhooks (loadSessionEventTexts), parsed: for readers of a few sessions. */
export async function loadSessionEvents(
  db: SqlRunner,
  sessions: readonly SessionSpan[],
): Promise<Map<string, AttendanceEvent[]>> {
  const texts = await loadSessionEventTexts(db, sessions);
  return new Map([...texts].map(([id, text]) => [id, parseSessionEvents(text)]));
}
