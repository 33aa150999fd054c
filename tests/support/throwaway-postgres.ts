import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../../lib/db/free-port.ts";

const BIN = process.env.ROLLCALL_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root). */
function pgTool(tool: string, args: string[]) {
  const command = path.join(BIN, tool);
  const asRoot = process.getuid?.() === 0;
  return execFileSync(asRoot ? "runuser" : command, asRoot ? ["-u", "postgres", "--", command, ...args] : args, {
    stdio: "pipe",
    timeout: 60_000,
  }).toString();
}

export interface ThrowawayPostgres {
  url: string;
  start(): void;
  /** Stops the server the hard way (no checkpoint): what a crash or a pulled plug looks like to clients. */
  crash(): void;
  destroy(): void;
}

/**
 * A PostgreSQL server of the test's own, on its own port and data folder, so the test can stop it
 * without disturbing anything else.
 */
export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-pg-"));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await findFreePort();
  pgTool("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on`;
  const server: ThrowawayPostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/rollcall`,
    start: () => void pgTool("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]),
    crash: () => void pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    destroy() {
      try {
        pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  pgTool("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "rollcall"]);
  return server;
}
