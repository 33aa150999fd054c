import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { USED_EVENTS } from "../livekit/parse-webhook.ts";
import { academyLivekitScope } from "../livekit/credentials.ts";
import { parseKeysetCursor } from "../paging/keyset-cursor.ts";

// Room names and identities never hold control characters, and PostgreSQL cannot take a NUL.
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** A cursor as listEventLog writes it (lib/paging/keyset-cursor.ts), its id a webhook's. */
const isEventLogCursor = (value: string) => parseKeysetCursor(value, { spacesInId: true }) !== null;

// Malformed filters are ignored (the page shows what it would without them), never an error: the
// filters come from the page's own links and form, so only a hand-edited URL can be malformed.
export const ZEventLogFilterSchema = z.object({
  event: z
    .string()
    .max(64)
    .regex(/^[a-z_]+$/)
    .optional()
    .catch(undefined),
  room: z.string().max(256).regex(NO_CONTROL_CHARACTERS).optional().catch(undefined),
  identity: z.string().max(256).regex(NO_CONTROL_CHARACTERS).optional().catch(undefined),
  session: z.string().max(64).regex(NO_CONTROL_CHARACTERS).optional().catch(undefined),
  /** Webhook ids, comma-separated (a report's provenance links here): only those webhooks. */
  ids: z
    .string()
    .max(4096)
    .regex(NO_CONTROL_CHARACTERS)
    .transform((value) => [...new Set(value.split(",").filter(Boolean))])
    .refine((ids) => ids.length > 0 && ids.length <= 50 && ids.every((id) => id.length <= 256))
    .optional()
    .catch(undefined),
  matched: z.enum(["yes", "no"]).optional().catch(undefined),
  /** Show events for rooms no session has (only offered where the deployment has one academy). */
  unknownRooms: z.enum(["1"]).optional().catch(undefined),
  /** Cursor "receivedAt|id" of the last row of the previous page (receivedAt alone can tie). */
  before: z.string().refine(isEventLogCursor).optional().catch(undefined),
});
export type TEventLogFilter = z.infer<typeof ZEventLogFilterSchema>;

export const EVENT_LOG_PAGE = 50;

/**
 * Events for rooms no session has are shown only where they can be nobody else's: those signed with
 * the academy's own LiveKit key, or, on the server-wide key, where the deployment has a single
 * academy. With several academies on the shared key, room names and identities of one school must
 * not reach another's admins (operators read them in the database).
 */
async function canSeeUnknownRooms(db: PrismaClient, academyId: string, scope: string): Promise<boolean> {
  return scope === academyId || (await db.academy.count()) === 1;
}

interface EventRow {
  id: string;
  event: string;
  event_time: Date;
  received_at: Date;
  room_name: string | null;
  identity: string | null;
  participant_kind: string | null;
  is_recorder: boolean;
  raw_body: string;
  sessions: { id: string; title: string }[] | null;
}

// The sessions a webhook may belong to: its room's, within 60 minutes around their schedule (rules
// section 1; the calculation narrows this to 60 minutes after an early end).
const SESSIONS_OF_EVENT = `
  SELECT s.id, s.title FROM session s
  WHERE s.livekit_scope = w.livekit_scope AND s.room_name = w.room_name
    AND w.event_time BETWEEN s.scheduled_start - interval '60 minutes' AND s.scheduled_end + interval '60 minutes'`;

/**
 * A page of the academy's webhook log, newest first, with the raw payloads. Which sessions an event
 * is for is derived when read (never stored), so an event that arrived before its session was
 * created shows that session now.
 */
export async function listEventLog(
  db: PrismaClient,
  { academyId, filter }: { academyId: string; filter: TEventLogFilter },
) {
  const scope = await academyLivekitScope(db, academyId);
  const unknownRoomsVisible = await canSeeUnknownRooms(db, academyId, scope);
  const showUnknown = filter.unknownRooms === "1" && unknownRoomsVisible;
  const [beforeAt, beforeId] = filter.before ? (filter.before.split("|") as [string, string]) : [null, null];
  const rows = await db.$queryRawUnsafe<EventRow[]>(
    `SELECT w.id, w.event, w.event_time, w.received_at, w.room_name, w.identity, w.participant_kind, w.is_recorder, w.raw_body,
       (SELECT json_agg(json_build_object('id', m.id, 'title', m.title) ORDER BY m.id) FROM (${SESSIONS_OF_EVENT} AND s.academy_id = $1) m) AS sessions
     FROM webhook_event w
     WHERE (CASE WHEN $2::boolean THEN w.livekit_scope = $11 AND NOT EXISTS (${SESSIONS_OF_EVENT}) ELSE EXISTS (${SESSIONS_OF_EVENT} AND s.academy_id = $1) END)
       AND ($3::text IS NULL OR w.event = $3)
       AND ($4::text IS NULL OR strpos(w.room_name, $4) > 0)
       AND ($5::text IS NULL OR strpos(w.identity, $5) > 0)
       AND ($6::text IS NULL OR EXISTS (${SESSIONS_OF_EVENT} AND s.academy_id = $1 AND s.id = $6))
       AND ($7::text IS NULL OR ($7 = 'yes') = (w.event = ANY($8::text[])))
       AND ($9::timestamptz IS NULL OR (w.received_at, w.id) < ($9::timestamptz, $10::text))
       AND ($12::text[] IS NULL OR w.id = ANY($12::text[]))
     ORDER BY w.received_at DESC, w.id DESC
     LIMIT ${EVENT_LOG_PAGE + 1}`,
    academyId,
    showUnknown,
    filter.event ?? null,
    filter.room ?? null,
    filter.identity ?? null,
    filter.session ?? null,
    filter.matched ?? null,
    USED_EVENTS,
    beforeAt,
    beforeId,
    scope,
    filter.ids ?? null,
  );
  const page = rows.slice(0, EVENT_LOG_PAGE);
  return {
    /** Whether this academy may list webhooks for rooms no session has (the "unknown rooms" filter). */
    unknownRoomsVisible,
    events: page.map((row) => ({
      id: row.id,
      event: row.event,
      eventTime: row.event_time.toISOString(),
      receivedAt: row.received_at.toISOString(),
      roomName: row.room_name,
      identity: row.identity,
      participantKind: row.participant_kind,
      isRecorder: row.is_recorder,
      /** Whether the calculation reads this type of event at all. */
      used: USED_EVENTS.includes(row.event),
      sessions: row.sessions ?? [],
      rawBody: row.raw_body,
    })),
    nextBefore: rows.length > EVENT_LOG_PAGE ? `${page.at(-1)!.received_at.toISOString()}|${page.at(-1)!.id}` : null,
  };
}
