import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env, isEmbeddedDatabase } from "../env.ts";

// The file is read once per data folder: the webhook route opens academies' LiveKit secrets with
// this on every webhook they sign, and the file never changes while the process runs.
const generatedSecrets = new Map<string, string>();

/**
 * The key Better Auth signs session cookies with. BETTER_AUTH_SECRET wins; the embedded default
 * keeps a generated one beside its data so a fresh clone signs in with no setup and sessions survive
 * restarts. A server on DATABASE_URL must be given one: a generated secret would differ between
 * instances and sign everybody out on every restart.
 */
export function resolveAuthSecret(): string {
  const config = env();
  if (config.BETTER_AUTH_SECRET) return config.BETTER_AUTH_SECRET;
  if (isEmbeddedDatabase()) {
    const file = path.resolve(config.ROLLCALL_DATA_DIR, "auth-secret");
    const known = generatedSecrets.get(file);
    if (known) return known;
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
      } catch (error) {
        // Another process created it first; read theirs.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    const secret = fs.readFileSync(file, "utf8").trim();
    generatedSecrets.set(file, secret);
    return secret;
  }
  throw new Error(
    "Set BETTER_AUTH_SECRET (32+ random characters) when Rollcall runs on DATABASE_URL; every instance needs the same one.",
  );
}
