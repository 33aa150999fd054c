import { WebhookReceiver, type WebhookEvent } from "livekit-server-sdk";
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

// The SDK verifies and then decodes in one call; only failures of the signature, its claims or the
// body checksum are authentication failures. A verified body that does not decode is a 400.
function isAuthenticationFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && code.startsWith("ERR_J")) return true;
  return typeof message === "string" && /authorization header|sha256 checksum|JWS|JWT|claim|signature/i.test(message);
}

/**
 * Verifies a webhook exactly as LiveKit signs it: the Authorization header is a bare HS256 JWT whose
 * sha256 claim is the base64 SHA-256 of the exact body. A "Bearer " prefix is tolerated.
 */
export async function verifyWebhook(
  body: string,
  authorization: string | null,
  { apiKey, apiSecret }: { apiKey: string; apiSecret: string },
): Promise<WebhookEvent> {
  const token = authorization?.trim().replace(/^Bearer\s+/i, "");
  if (!token) throw new AppError("unauthorized", "The Authorization header is missing.");
  try {
    return await receiverFor(apiKey, apiSecret).receive(body, token, false, WEBHOOK_CLOCK_TOLERANCE_SECONDS);
  } catch (error) {
    if (isAuthenticationFailure(error)) {
      throw new AppError("unauthorized", `The webhook signature is not valid: ${(error as Error).message}.`);
    }
    throw new AppError("bad_request", "The body is not a LiveKit webhook.");
  }
}
