import "server-only";
import type pg from "pg";
import { AppError, isDatabaseUnavailable } from "../errors.ts";
import { parseWebhookBody } from "../livekit/parse-webhook.ts";
import { containsNul } from "../nul.ts";
import { SecretBoxError } from "../livekit/secret-box.ts";
import type { SignerCandidate, WebhookSigner } from "../livekit/credentials.ts";
import { verifyWebhook, webhookIssuer, webhookToken } from "../livekit/verify-webhook.ts";
import { recordWebhookEvent } from "./record-webhook-event.ts";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface IngestLivekitWebhookOptions {
  body: string;
  authorization: string | null;
  contentType: string | null;
  receivedAt: Date;
  /** The keys of the id a webhook names, each with whose webhooks it signs; none if unknown. */
  findSigners: (apiKey: string) => Promise<SignerCandidate[]>;
  pool: () => pg.Pool;
}

export interface IngestResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A room finished: the classes it may end early fall due (scheduled after the answer is sent). */
  roomFinished?: { sessionIds: string[]; finishedAt: Date };
}

// LiveKit sends application/webhook+json; JSON types are accepted for tools that replay events.
function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return true;
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[\w.-]+\+json$/.test(mediaType);
}

/**
 * The candidate whose secret verifies the token (the body is parsed after, so a valid signature over
 * a body that is not a webhook is that signer's 400). A secret that cannot be opened
 * (BETTER_AUTH_SECRET changed) outranks a refusal: its webhook may be genuine, so the answer is a
 * 503 LiveKit retries.
 */
async function verifiedSigner(body: string, token: string, candidates: SignerCandidate[]): Promise<WebhookSigner> {
  let unreadable: unknown = null;
  let refusal: unknown = null;
  for (const candidate of candidates) {
    let apiSecret: string;
    try {
      apiSecret = candidate.openSecret();
    } catch (error) {
      unreadable ??= error;
      continue;
    }
    try {
      await verifyWebhook(body, token, { apiKey: candidate.apiKey, apiSecret });
      return { apiKey: candidate.apiKey, scope: candidate.scope };
    } catch (error) {
      refusal ??= error;
    }
  }
  throw unreadable ?? refusal;
}

/**
 * The webhook endpoint as a function of raw text and headers. Statuses follow LiveKit's retry rules:
 * it retries 5xx and never 4xx, so an event is answered 200 only once it is stored (or was already),
 * a bad signature or body is a 4xx, and a failure to store is a 503.
 */
export async function ingestLivekitWebhook(options: IngestLivekitWebhookOptions): Promise<IngestResult> {
  const { body, authorization, contentType, receivedAt, findSigners } = options;
  try {
    if (!isJsonContentType(contentType)) {
      throw new AppError("unsupported_media_type", "Webhooks must be sent as application/webhook+json.");
    }
    const token = webhookToken(authorization);
    // The signer decides whose webhook it is (DESIGN.md, "Tenancy"), so the key is found first.
    const issuer = webhookIssuer(token);
    const candidates = issuer ? await findSigners(issuer) : [];
    if (!candidates.length)
      throw new AppError(
        "unauthorized",
        "The webhook is signed with an API key this server does not know (or one that was retired).",
      );
    const signer = await verifiedSigner(body, token, candidates);
    const event = parseWebhookBody(body, receivedAt);
    if (containsNul(event))
      throw new AppError("bad_request", "The webhook carries a NUL character, which cannot be stored.");
    const recorded = await recordWebhookEvent(options.pool(), event, body, receivedAt, signer);
    const stored = recorded.outcome === "stored";
    const roomFinished =
      stored && recorded.sessionIds.length && event.event === "room_finished"
        ? { sessionIds: recorded.sessionIds, finishedAt: event.eventTime }
        : undefined;
    // Every new event is kept; "ignored" says it means nothing to any session as things stand. A
    // session created later for its room and time still gets it (rules section 1).
    const note = !event.isUsed
      ? "event type not used"
      : stored && recorded.sessionIds.length === 0
        ? "no session for this room at this time yet; kept, and counted if one is created"
        : null;
    return {
      roomFinished,
      status: 200,
      body: {
        ok: true,
        id: event.id,
        result: !stored ? "duplicate" : note ? "ignored" : "stored",
        ...(note ? { note } : {}),
      },
    };
  } catch (error) {
    if (error instanceof AppError) {
      return { status: error.status, body: { ok: false, error: { code: error.code, message: error.message } } };
    }
    const unavailable = isDatabaseUnavailable(error);
    const cause = unavailable
      ? "database unavailable"
      : error instanceof SecretBoxError
        ? "an academy's LiveKit secret cannot be read"
        : "unexpected error";
    console.error(`[rollcall] webhook not stored (${cause}):`, (error as Error).message);
    return {
      status: 503,
      body: { ok: false, error: { code: "unavailable", message: "The event could not be stored; retry later." } },
      headers: { "retry-after": "1" },
    };
  }
}
