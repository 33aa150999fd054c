// POST /api/livekit/webhook – verify LiveKit's signature, append the event to the log, answer.
// Nothing is folded or calculated here: the log is read by room and time when it is needed.
import { after } from "next/server";
import { getPool } from "@/lib/db/client.ts";
import { env } from "@/lib/env.ts";
import { resolveAuthSecret } from "@/lib/auth/auth-secret.ts";
import { findSignerCandidates } from "@/lib/livekit/credentials.ts";
import { ingestLivekitWebhook, MAX_WEBHOOK_BYTES } from "@/lib/ingest/ingest-livekit-webhook.ts";
import { BodyTooLargeError, readBodyWithLimit } from "@/lib/api/read-body.ts";
import { scheduleCalculationSafely } from "@/lib/scheduling/attendance-scheduler.ts";
import { calculationDueAt } from "@/lib/calculation/due-time.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const dueAtAfter = (finishedAt: Date) => calculationDueAt(finishedAt, env().ROLLCALL_CALC_DELAY_MINUTES);

export async function POST(request: Request): Promise<Response> {
  const receivedAt = new Date();
  let body: string;
  try {
    // The signature covers these exact bytes, so the body is read as text and never re-serialized.
    body = await readBodyWithLimit(request, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return Response.json(
        { ok: false, error: { code: "payload_too_large", message: "Webhook bodies are limited to 1 MiB." } },
        { status: 413 },
      );
    }
    return Response.json(
      { ok: false, error: { code: "bad_request", message: "The body could not be read." } },
      { status: 400 },
    );
  }
  const { LIVEKIT_API_KEY, LIVEKIT_API_SECRET } = env();
  const serverPair = { apiKey: LIVEKIT_API_KEY, apiSecret: LIVEKIT_API_SECRET };
  const result = await ingestLivekitWebhook({
    body,
    authorization: request.headers.get("authorization"),
    contentType: request.headers.get("content-type"),
    receivedAt,
    findSigners: (apiKey) => findSignerCandidates(getPool(), apiKey, { serverPair, serverSecret: resolveAuthSecret }),
    pool: getPool,
  });
  const { roomFinished } = result;
  if (roomFinished) {
    // After the answer: the hot path makes no external call. A room that finished early may bring
    // a calculation forward; at its due time the function checks the window rule again (the teacher
    // may have come back), and at the scheduled end it is the same due time, deduplicated.
    const dueAt = dueAtAfter(roomFinished.finishedAt);
    after(() =>
      Promise.all(
        roomFinished.sessionIds.map((sessionId) => scheduleCalculationSafely(sessionId, dueAt, "room-finished")),
      ),
    );
  }
  return Response.json(result.body, { status: result.status, headers: result.headers });
}
