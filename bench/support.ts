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
): Promise<{ baseUrl: string; stop(): Promise<void> }> {
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
  return { baseUrl, stop };
}
