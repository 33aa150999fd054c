import "server-only";
import { createHash } from "node:crypto";
import { TokenVerifier } from "livekit-server-sdk";
import { AppError } from "../errors.ts";

/** LiveKit's own verifier allows one minute of leeway; the Node SDK defaults to ten seconds. */
export const WEBHOOK_CLOCK_TOLERANCE_SECONDS = 60;

const verifiers = new Map<string, TokenVerifier>();
function verifierFor(apiKey: string, apiSecret: string): TokenVerifier {
  const cacheKey = `${apiKey}\u0000${apiSecret}`;
  let verifier = verifiers.get(cacheKey);
  if (!verifier) {
    verifier = new TokenVerifier(apiKey, apiSecret);
    verifiers.set(cacheKey, verifier);
  }
  return verifier;
}

/** The body's SHA-256 as LiveKit puts it in the token's sha256 claim (base64 with padding). */
export function bodyDigest(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("base64");
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
 *
 * The SDK's WebhookReceiver.receive does three things: its TokenVerifier checks the token
 * (signature, issuer, expiry), it hashes the body through Web Crypto, and it decodes the body into
 * the SDK's protobuf WebhookEvent. Here the SDK's TokenVerifier still checks every token; the body's
 * digest is node:crypto's synchronous hash (Web Crypto's asynchronous job cost about 0.14 ms a
 * webhook under load, the largest item of the route's CPU profile, against 5 µs); and the decoding
 * is left to parseWebhookBody, which validates what Rollcall reads and keeps the raw text (the
 * protobuf decode of a body nothing used cost another 34 µs). Taken apart, each failure also says
 * which step failed, which receive() does not (its message may even quote the body).
 */
export async function verifyWebhook(
  body: string,
  token: string,
  { apiKey, apiSecret }: { apiKey: string; apiSecret: string },
): Promise<void> {
  let claims: { sha256?: unknown };
  try {
    claims = await verifierFor(apiKey, apiSecret).verify(token, WEBHOOK_CLOCK_TOLERANCE_SECONDS);
  } catch (error) {
    const expired = (error as { code?: unknown }).code === "ERR_JWT_EXPIRED";
    throw new AppError(
      "unauthorized",
      expired ? "The webhook signature has expired." : "The webhook signature is not valid for this body and API key.",
    );
  }
  if (claims.sha256 !== bodyDigest(body))
    throw new AppError("unauthorized", "The webhook signature is not valid for this body and API key.");
}
