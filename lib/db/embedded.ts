import "server-only";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import {
  EMBEDDED_DB_HOST,
  EMBEDDED_DB_USER,
  embeddedDatabasePassword,
  embeddedDatabaseUrl,
  embeddedPasswordFile,
} from "./embedded-credentials.ts";
import { findFreePort } from "./free-port.ts";
import { applyMigrations } from "./migrations.ts";
import { PGliteWireServer } from "./pglite-wire-server.ts";

// The embedded default: PostgreSQL compiled to WebAssembly (PGlite), kept in a data folder and
// served on the PostgreSQL wire protocol on loopback, so the app, the command line and any
// `psql` can use the same database at once. One process serves it; the others connect.
//
// The server listens on 127.0.0.1 only and asks for a password (SCRAM-SHA-256), generated into the
// data folder as `db-password` (mode 0600) the first time: whoever may read the data folder may use
// the database, and nobody else on the machine. The app and the command line read it from there.

/** How long a connection may leave a transaction idle before it is cut off (and rolled back). */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 5_000;

export interface EmbeddedDatabase {
  /** The connection URL, password included: do not log it (see displayUrl). */
  url: string;
  /** The URL with the password masked, for logs and messages. */
  displayUrl: string;
  /** The file holding the password. */
  passwordFile: string;
  /** True when this process serves the database (and must stop it). */
  isOwner: boolean;
  stop(): Promise<void>;
}

interface ServerFile {
  pid: number;
  port: number;
}

const displayUrlFor = (port: number) => `postgresql://${EMBEDDED_DB_USER}:***@${EMBEDDED_DB_HOST}:${port}/postgres`;

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: EMBEDDED_DB_HOST, port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The port of the embedded database already served by another process for this data folder, if any. */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<number | null> {
  const file = path.join(dataDir, "server.json");
  if (!fs.existsSync(file)) return null;
  try {
    const server = JSON.parse(fs.readFileSync(file, "utf8")) as ServerFile;
    if (server.pid !== process.pid && isProcessAlive(server.pid) && (await canConnect(server.port))) return server.port;
  } catch {
    // A torn or stale file: fall through and serve the folder ourselves.
  }
  return null;
}

function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// One process at a time may open a PGlite data folder; a second opener would corrupt it.
async function acquireFolder(dataDir: string): Promise<{ release(): void } | { sharedPort: number }> {
  const lockFile = path.join(dataDir, "owner.pid");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return { release: () => fs.rmSync(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readPid(lockFile);
    if (owner === null || !isProcessAlive(owner)) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    // Another process owns the folder: share its server once it is up.
    const port = await findRunningEmbeddedDatabase(dataDir);
    if (port) return { sharedPort: port };
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded database in ${dataDir} is held by process ${owner}, which does not serve it; stop that process or set DATABASE_URL.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface StartEmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  /** Announce the server so other processes share it (the app does; a one-off command does not). */
  share?: boolean;
  /** A connection that leaves a transaction idle this long is cut off and rolled back (default 5 s). */
  idleInTransactionTimeoutMs?: number;
}

/**
 * Connects to the embedded database of `dataDir`, serving it from this process when no other
 * process does. Migrations are applied before the first connection is accepted.
 */
export async function startEmbeddedDatabase({
  dataDir,
  port,
  share = true,
  idleInTransactionTimeoutMs = DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
}: StartEmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = embeddedPasswordFile(dataDir);
  const shared = (sharedPort: number): EmbeddedDatabase => ({
    url: embeddedDatabaseUrl(dataDir, sharedPort),
    displayUrl: displayUrlFor(sharedPort),
    passwordFile,
    isOwner: false,
    stop: async () => undefined,
  });
  const running = await findRunningEmbeddedDatabase(dataDir);
  if (running) return shared(running);
  const folder = await acquireFolder(dataDir);
  if ("sharedPort" in folder) return shared(folder.sharedPort);

  const serverFile = path.join(dataDir, "server.json");
  try {
    const password = embeddedDatabasePassword(dataDir);
    // The password file must stay private even if it was copied in with looser permissions.
    if ((fs.statSync(passwordFile).mode & 0o077) !== 0) fs.chmodSync(passwordFile, 0o600);
    // Loaded only by the folder's owner: a command that finds the app's server running (or has a
    // DATABASE_URL) never pays the WebAssembly PostgreSQL's half second of loading.
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(path.resolve(dataDir, "pgdata"));
    await db.waitReady;
    await applyMigrations(db);
    const actualPort = share && port !== 0 ? port : await findFreePort();
    const server = new PGliteWireServer(db, { user: EMBEDDED_DB_USER, password, idleInTransactionTimeoutMs });
    await server.start(actualPort);
    if (share)
      fs.writeFileSync(serverFile, JSON.stringify({ pid: process.pid, port: actualPort } satisfies ServerFile), {
        mode: 0o600,
      });

    let stopped = false;
    return {
      url: embeddedDatabaseUrl(dataDir, actualPort),
      displayUrl: displayUrlFor(actualPort),
      passwordFile,
      isOwner: true,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (share) fs.rmSync(serverFile, { force: true });
        await server.stop();
        await db.close();
        folder.release();
      },
    };
  } catch (error) {
    folder.release();
    throw error;
  }
}
