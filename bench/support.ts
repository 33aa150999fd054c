import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrations.ts";
import { startEmbeddedDatabase } from "../lib/db/embedded.ts";
import { findFreePort } from "../lib/db/free-port.ts";

export const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface BenchDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one benchmark run: a database on the PostgreSQL server, or an embedded one. */
export async function createBenchDatabase(kind: string): Promise<BenchDatabase> {
  if (kind === "embedded") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-"));
    const db = await startEmbeddedDatabase({ dataDir, port: 0, share: false });
    return {
      url: db.url,
      label: "embedded PGlite (wire server)",
      async drop() {
        await db.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.ROLLCALL_BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `rollcall_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await applyMigrations(client);
  const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;
  await client.end();
  return {
    url: url.toString(),
    label: `PostgreSQL ${version} on 127.0.0.1`,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export function machineLine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * The built app (`next start`, run `npm run build` first) on a free port over `databaseUrl`, with
 * `env` on top of this process's; resolves once /api/health answers. `nodeFlags` e.g. a CPU profile.
 */
export async function startApp(
  databaseUrl: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<{ baseUrl: string; pid: number; stop(): Promise<void> }> {
  const port = await findFreePort();
  const server = spawn(
    process.execPath,
    [...nodeFlags, path.resolve("node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const stop = async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 300) {
      await stop();
      throw new Error("the app did not start (run `npm run build` first)");
    }
    if ((await fetch(`${baseUrl}/api/health`).catch(() => null))?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, pid: server.pid!, stop };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Every process's parent and CPU time so far (user + system, ms), from /proc. */
function processTable(): Map<number, { ppid: number; comm: string; cpuMs: number }> {
  const table = new Map<number, { ppid: number; comm: string; cpuMs: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone since the listing
    }
    // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ")".
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    table.set(Number(entry), {
      ppid: Number(fields[1]),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    });
  }
  return table;
}

export type CpuSnapshot = Map<number, { ppid: number; comm: string; cpuMs: number }>;

/** Every process's CPU time so far; two of these give what a phase cost (cpuBetween). */
export const cpuSnapshot = (): CpuSnapshot => processTable();

/**
 * The CPU time used between two snapshots by a process and its descendants (the app), and by
 * PostgreSQL's processes (the database), counted per process so that one ending between the two
 * subtracts nothing. These give CPU per webhook, a figure that other work on the machine disturbs
 * far less than a rate or a latency does (PostgreSQL's figure includes any other database's work).
 */
export function cpuBetween(
  before: CpuSnapshot,
  after: CpuSnapshot,
  appPid: number,
): { appMs: number; databaseMs: number } {
  const inApp = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; hops++) {
      if (p === appPid) return true;
      p = after.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let appMs = 0;
  let databaseMs = 0;
  for (const [pid, row] of after) {
    const used = row.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    if (inApp(pid)) appMs += used;
    else if (row.comm === "postgres") databaseMs += used;
  }
  return { appMs, databaseMs };
}
