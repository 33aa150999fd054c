import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// A LiveKit webhook is signed with an HMAC (HS256), so checking one needs the secret itself: an
// academy's secret is kept encrypted, under a key derived from the server's own secret, never hashed.
const VERSION = "v1";
const INFO = "rollcall/livekit-credential/v1";

const derived = new Map<string, Buffer>();
function keyFrom(serverSecret: string): Buffer {
  let key = derived.get(serverSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", serverSecret, "rollcall", INFO, 32));
    derived.set(serverSecret, key);
  }
  return key;
}

/** AES-256-GCM; the result is "v1.<iv>.<tag>.<ciphertext>" in base64url, safe to store as text. */
export function sealSecret(plain: string, serverSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(serverSecret), iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    sealed.toString("base64url"),
  ].join(".");
}

export class SecretBoxError extends Error {}

/** The secret, or a SecretBoxError when it was sealed under another server secret or altered. */
export function openSecret(box: string, serverSecret: string): string {
  const [version, iv, tag, sealed] = box.split(".");
  if (version !== VERSION || !iv || !tag || sealed === undefined)
    throw new SecretBoxError("The stored LiveKit secret is not in a known format.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(serverSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      "The stored LiveKit secret cannot be decrypted with this server's BETTER_AUTH_SECRET (was it changed?).",
    );
  }
}
