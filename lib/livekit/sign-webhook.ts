import "server-only";
import { createHash } from "node:crypto";
import { AccessToken } from "livekit-server-sdk";

/**
 * Signs a body as a LiveKit server does (LIVEKIT.md §2.4): a bare JWT from the SDK's AccessToken,
 * valid five minutes, whose sha256 claim is the base64 SHA-256 of the exact bytes. Used by the demo,
 * the benchmark and the tests.
 */
export async function signWebhook(body: string, apiKey: string, apiSecret: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret, { ttl: "5m" });
  token.sha256 = createHash("sha256").update(body, "utf8").digest("base64");
  return token.toJwt();
}

export const WEBHOOK_CONTENT_TYPE = "application/webhook+json";
