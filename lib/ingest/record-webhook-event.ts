import "server-only";
import type pg from "pg";
import type { NormalizedWebhook } from "../livekit/parse-webhook.ts";
import { livePublisher } from "../live/publish.ts";
import type { WebhookSigner } from "../livekit/credentials.ts";

export interface RecordWebhookEventResult {
  outcome: "stored" | "duplicate";
  /** The sessions of the signer's scope whose 60-minute margins around their schedule hold this event's room and time. */
  sessionIds: string[];
}

/**
 * Stores a verified webhook exactly once and marks the sessions it belongs to uncalculated: one
 * call of the SQL function rollcall_record_webhook (prisma/functions), one round trip, one
 * transaction. Nothing is folded here: which session a webhook is for, and what it means, is
 * derived when the log is read (lib/attendance), so a session created later still gets it. Once it
 * has committed, the live views of those sessions are told (channel `rollcall_live`, batched).
 */
export async function recordWebhookEvent(
  pool: pg.Pool,
  event: NormalizedWebhook,
  rawBody: string,
  receivedAt: Date,
  signer: Pick<WebhookSigner, "apiKey" | "scope">,
): Promise<RecordWebhookEventResult> {
  const row = {
    id: event.id,
    livekit_scope: signer.scope,
    api_key: signer.apiKey,
    event: event.event,
    event_time: event.eventTime.toISOString(),
    created_at: event.createdAt?.toISOString() ?? null,
    received_at: receivedAt.toISOString(),
    room_name: event.roomName,
    room_sid: event.roomSid,
    participant_sid: event.participantSid,
    identity: event.identity,
    participant_kind: event.participantKind,
    is_recorder: event.isRecorder,
    participant_joined_at: event.participantJoinedAt?.toISOString() ?? null,
    disconnect_reason: event.disconnectReason,
    raw_body: rawBody,
  };
  const { rows } = await pool.query<{ o_outcome: "stored" | "duplicate"; o_session_ids: string[] }>(
    "SELECT * FROM rollcall_record_webhook(p_event => $1::jsonb)",
    [JSON.stringify(row)],
  );
  const result = rows[0];
  if (!result) throw new Error("rollcall_record_webhook returned no row");
  if (result.o_outcome === "stored") {
    for (const sessionId of result.o_session_ids)
      livePublisher(pool).publish({ sessionId, event: event.event, identity: event.identity, id: event.id });
  }
  return { outcome: result.o_outcome, sessionIds: result.o_session_ids };
}
