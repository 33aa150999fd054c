import "server-only";
import { createHash } from "node:crypto";
import { TokenVerifier, WebhookReceiver, type WebhookEvent } from "livekit-server-sdk";
import { AppError } from "../errors.ts";

/** LiveKit's own verifier allows one minute of leeway; the Node SDK defaults to ten seconds. */
export const WEBHOOK_CLOCK_TOLERANCE_SECONDS = 60;

const receivers = new Map<string, WebhookReceiver>();
function receiverFor(apiKey: string, apiSecret: string): WebhookReceiver {
  const cacheKey = `${apiKey}\u0000${apiSecret}`;
  let receiver = receivers.get(cacheKey);
  if (!receiver) {
    receiver = new WebhookReceiver(apiKey, apiSecret);
    receivers.set(cacheKey, receiver);
  }
  return receiver;
}

// The SDK verifies and then decodes in one call, and its errors do not say which step failed (a
// message may even quote the body). So when it fails, the signature is checked on its own, the same
// way: a valid signature over a body that does not decode is a 400, anything else a 401.
async function hasValidSignature(
  body: string,
  token: string,
  { apiKey, apiSecret }: { apiKey: string; apiSecret: string },
): Promise<boolean> {
  try {
    const claims = await new TokenVerifier(apiKey, apiSecret).verify(token, WEBHOOK_CLOCK_TOLERANCE_SECONDS);
    return claims.sha256 === createHash("sha256").update(body, "utf8").digest("base64");
  } catch {
    return false;
  }
}

/** The bare token of an Authorization header; a "Bearer " prefix is tolerated. */
export function webhookToken(authorization: string | null): string {
  const token = authorization?.trim().replace(/^Bearer\s+/i, "");
  if (!token) throw new AppError("unauthorized", "The Authorization header is missing.");
  return token;
}

/**
 * The API key a token says signed it (its `iss`), read before anything is verified so the right
 * secret can be chosen, as LiveKit's own verifier does; null when the token does not say, or names
 * something no key can be (a control character; PostgreSQL cannot even compare a NUL).
 */
export function webhookIssuer(token: string): string | null {
  const payload = token.split(".")[1];
  if (!payload || payload.length > 8192) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const iss = (claims as { iss?: unknown } | null)?.iss;
    // No key has control characters (and PostgreSQL cannot even compare a NUL).
    return typeof iss === "string" && iss.length > 0 && iss.length <= 200 && !/[\u0000-\u001f\u007f]/.test(iss)
      ? iss
      : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a webhook exactly as LiveKit signs it: the token is a bare HS256 JWT issued by the key,
 * whose sha256 claim is the base64 SHA-256 of the exact body.
 */
export async function verifyWebhook(
  body: string,
  token: string,
  { apiKey, apiSecret }: { apiKey: string; apiSecret: string },
): Promise<WebhookEvent> {
  try {
    return await receiverFor(apiKey, apiSecret).receive(body, token, false, WEBHOOK_CLOCK_TOLERANCE_SECONDS);
  } catch (error) {
    if (await hasValidSignature(body, token, { apiKey, apiSecret }))
      throw new AppError("bad_request", "The body is not a LiveKit webhook.");
    const expired = (error as { code?: unknown }).code === "ERR_JWT_EXPIRED";
    throw new AppError(
      "unauthorized",
      expired ? "The webhook signature has expired." : "The webhook signature is not valid for this body and API key.",
    );
  }
}
