import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { findFreePort } from "./free-port.ts";
import { applyMigrations } from "./migrations.ts";
import { PGliteWireServer } from "./pglite-wire-server.ts";

// The embedded default: PostgreSQL compiled to WebAssembly (PGlite), kept in a data folder and
// served on the PostgreSQL wire protocol on loopback, so the app, the command line and any
// `psql` can use the same database at once. One process serves it; the others connect.

export interface EmbeddedDatabase {
  url: string;
  /** True when this process serves the database (and must stop it). */
  isOwner: boolean;
  stop(): Promise<void>;
}

interface ServerFile {
  pid: number;
  port: number;
  url: string;
}

const urlFor = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;

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
    const socket = net.connect({ host: "127.0.0.1", port });
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

/** The embedded database already served by another process for this data folder, if any. */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, "server.json");
  if (!fs.existsSync(file)) return null;
  try {
    const server = JSON.parse(fs.readFileSync(file, "utf8")) as ServerFile;
    if (server.pid !== process.pid && isProcessAlive(server.pid) && (await canConnect(server.port))) return server.url;
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
async function acquireFolder(dataDir: string): Promise<{ release(): void } | { sharedUrl: string }> {
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
    const url = await findRunningEmbeddedDatabase(dataDir);
    if (url) return { sharedUrl: url };
    if (Date.now() > deadline) {
      throw new Error(`The embedded database in ${dataDir} is held by process ${owner}, which does not serve it; stop that process or set DATABASE_URL.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface StartEmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  /** Announce the server so other processes share it (the app does; a one-off command does not). */
  share?: boolean;
}

/**
 * Connects to the embedded database of `dataDir`, serving it from this process when no other
 * process does. Migrations are applied before the first connection is accepted.
 */
export async function startEmbeddedDatabase({ dataDir, port, share = true }: StartEmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  const running = await findRunningEmbeddedDatabase(dataDir);
  if (running) return { url: running, isOwner: false, stop: async () => undefined };
  const folder = await acquireFolder(dataDir);
  if ("sharedUrl" in folder) return { url: folder.sharedUrl, isOwner: false, stop: async () => undefined };

  const serverFile = path.join(dataDir, "server.json");
  try {
    const db = new PGlite(path.resolve(dataDir, "pgdata"));
    await db.waitReady;
    await applyMigrations(db);
    const actualPort = share && port !== 0 ? port : await findFreePort();
    const server = new PGliteWireServer(db);
    await server.start(actualPort);
    const url = urlFor(actualPort);
    if (share) fs.writeFileSync(serverFile, JSON.stringify({ pid: process.pid, port: actualPort, url } satisfies ServerFile));

    let stopped = false;
    return {
      url,
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
