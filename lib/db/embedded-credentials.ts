import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// How to reach the embedded database of a data folder: loopback, the one role, and the password
// generated into the folder. Kept apart from embedded.ts (which loads PGlite) so that tests and
// tools can build the URL cheaply.

export const EMBEDDED_DB_USER = "postgres";
export const EMBEDDED_DB_HOST = "127.0.0.1";

export const embeddedPasswordFile = (dataDir: string) => path.join(dataDir, "db-password");

/**
 * The password of the embedded database in `dataDir`, generated the first time (24 random bytes,
 * base64url, in `db-password`, readable by its owner only).
 */
export function embeddedDatabasePassword(dataDir: string): string {
  const file = embeddedPasswordFile(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Written under a name of its own, then linked into place: nobody reads a half-written file,
    // and when two processes race, the first link wins and both use it.
    const draft = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
    fs.writeFileSync(draft, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const password = fs.readFileSync(file, "utf8").trim();
  if (!password) throw new Error(`${file} is empty: delete it and restart to generate a new password.`);
  return password;
}

/** The URL of the embedded database of `dataDir` served on `port`, with the password from its file. */
export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  return `postgresql://${EMBEDDED_DB_USER}:${encodeURIComponent(embeddedDatabasePassword(dataDir))}@${EMBEDDED_DB_HOST}:${port}/postgres?sslmode=disable`;
}
