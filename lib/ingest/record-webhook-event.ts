import "server-only";
import type pg from "pg";
import type { NormalizedWebhook } from "../livekit/parse-webhook.ts";
import { livePublisher } from "../live/publish.ts";
import { webhookWriter, type RecordedRow } from "./webhook-writer.ts";
import type { WebhookSigner } from "../livekit/credentials.ts";

/**
 * Stores a verified webhook exactly once and marks the sessions it belongs to uncalculated, and
 * resolves once that has committed: the SQL function rollcall_record_webhooks (prisma/functions), in
 * a transaction of its own or shared with the webhooks that arrived beside it (webhook-writer.ts).
 * Nothing is folded here: which session a webhook is for, and what it means, is derived when the log
 * is read (lib/attendance), so a session created later still gets it. Once it has committed, the live
 * views of those sessions are told (channel `rollcall_live`, batched).
 */
export async function recordWebhookEvent(
  pool: pg.Pool,
  event: NormalizedWebhook,
  rawBody: string,
  receivedAt: Date,
  signer: Pick<WebhookSigner, "apiKey" | "scope">,
): Promise<RecordedRow> {
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
  const result = await webhookWriter(pool).record(JSON.stringify(row));
  if (result.outcome === "stored") {
    for (const sessionId of result.sessionIds)
      livePublisher(pool).publish({ sessionId, event: event.event, identity: event.identity, id: event.id });
  }
  return result;
}
