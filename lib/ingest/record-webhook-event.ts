import type pg from "pg";
import { isCountedParticipant } from "../attendance/index.ts";
import type { NormalizedWebhook } from "../livekit/parse-webhook.ts";
import { livePublisher } from "../live/publish.ts";

export interface RecordWebhookEventResult {
  outcome: "stored" | "duplicate";
  sessionId: string | null;
  matched: boolean;
  note: string | null;
}

/**
 * Stores a verified webhook exactly once and, in the same transaction, folds it into live presence
 * and the per-person aggregate and marks the session uncalculated. It is one call of the SQL
 * function rollcall_record_webhook (prisma/migrations): one round trip, one transaction, on the
 * webhook's hot path. Once it has committed, live views are told (channel `rollcall_live`, batched).
 *
 * The fold is order-independent: per connection (participant sid) the earliest join and the
 * earliest close win; a participant_left whose join never arrived opens its interval at the
 * joinedAt it carries; an aborted connection opens nothing; each person's aggregate is recomputed
 * from their connections under a per-person lock rather than incremented. No calculation happens
 * here: attendance is computed after the class, from the log.
 */
export async function recordWebhookEvent(
  pool: pg.Pool,
  event: NormalizedWebhook,
  rawBody: string,
  receivedAt: Date,
): Promise<RecordWebhookEventResult> {
  const { rows } = await pool.query<{ o_outcome: "stored" | "duplicate"; o_session_id: string | null; o_matched: boolean; o_note: string | null }>(
    "SELECT * FROM rollcall_record_webhook($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    [
      event.id,
      event.event,
      event.eventTime,
      event.createdAt,
      receivedAt,
      event.roomName,
      event.roomSid,
      event.participantSid,
      event.identity,
      event.participantKind,
      event.isRecorder,
      event.participantJoinedAt,
      event.disconnectReason,
      event.isUsed,
      isCountedParticipant(event.participantKind, event.isRecorder),
      rawBody,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error("rollcall_record_webhook returned no row");
  if (row.o_outcome === "stored" && row.o_session_id) {
    livePublisher(pool).publish({ sessionId: row.o_session_id, event: event.event, identity: event.identity, id: event.id });
  }
  return { outcome: row.o_outcome, sessionId: row.o_session_id, matched: row.o_matched, note: row.o_note };
}
