// bench/recalculate: forced recalculation of many finished classes, three ways in one run, per class:
// through the API one class at a time (POST /api/v1/sessions/:id/recalculate, 4 in flight, each
// awaited until its report is new: what an LMS had to do), through the API in one request
// (POST /api/v1/recalculations, then its status until nothing is pending), and the CLI's batch
// (calculateSessions in-process, the reference).
//
//   npm run build && npm run bench:recalculate -- [--classes 230] [--students 30] [--database postgres|embedded]
import { randomBytes } from "node:crypto";
import { hashApiKey } from "../lib/api-keys/api-keys.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { createPool } from "../lib/db/client.ts";
import { storeFinishedClasses } from "../lib/simulation/stored-classes.ts";
import { arg, createBenchDatabase, machineLine, startApp } from "./support.ts";

const CLASSES = Number(arg("classes", "230"));
const STUDENTS = Number(arg("students", "30"));
const DATABASE = arg("database", "postgres");
const IN_FLIGHT = 4;

async function api(baseUrl: string, key: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Polls until `done` says so; the interval is the caller's (a client would poll like this). */
async function until(done: () => Promise<boolean>, intervalMs: number): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

async function oneAtATime(baseUrl: string, key: string, ids: string[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const { requestedAt } = (await api(baseUrl, key, "POST", `/sessions/${id}/recalculate`)) as {
        requestedAt: string;
      };
      await until(async () => {
        const report = (await api(baseUrl, key, "GET", `/sessions/${id}/report`)) as { calculatedAt: string | null };
        return report.calculatedAt !== null && report.calculatedAt >= requestedAt;
      }, 20);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - started;
}

async function inOneRequest(baseUrl: string, key: string, ids: string[]): Promise<number> {
  const started = performance.now();
  const { recalculation } = (await api(baseUrl, key, "POST", "/recalculations", { sessionIds: ids })) as {
    recalculation: { statusUrl: string };
  };
  await until(async () => {
    const status = (await api(baseUrl, key, "GET", recalculation.statusUrl.replace("/api/v1", ""))) as {
      recalculation: { pending: number };
    };
    return status.recalculation.pending === 0;
  }, 20);
  return performance.now() - started;
}

async function main() {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 4);
  const app = await startApp(database.url, {
    LIVEKIT_API_KEY: "bench-recalculate",
    LIVEKIT_API_SECRET: "bench-recalculate-secret-bench-recalculate",
    BETTER_AUTH_SECRET: "bench-recalculate-secret-0123456789abcdef",
  });
  const { baseUrl } = app;
  try {
    const { academyId, sessionIds } = await storeFinishedClasses(pool, {
      count: CLASSES,
      label: "recalc",
      students: STUDENTS,
    });
    const key = `rk_${randomBytes(32).toString("base64url")}`;
    await pool.query(`INSERT INTO api_key (id, academy_id, name, prefix, hash) VALUES ($1, $2, 'bench', $3, $4)`, [
      `bench-key-${academyId}`,
      academyId,
      key.slice(0, 9),
      hashApiKey(key),
    ]);
    await pool.query("VACUUM ANALYZE webhook_event, session, session_roster, person");
    // Every class calculated once, so each way below recalculates (and records what changed).
    await calculateSessions({ pool, sessionIds, trigger: "cli" });
    await oneAtATime(baseUrl, key, sessionIds.slice(0, 8)); // warm-up: JIT, the app's pool

    const single = await oneAtATime(baseUrl, key, sessionIds);
    const bulk = await inOneRequest(baseUrl, key, sessionIds);
    const cliStarted = performance.now();
    const summary = await calculateSessions({ pool, sessionIds, force: true, trigger: "cli" });
    const cli = performance.now() - cliStarted;
    if (summary.sessions !== CLASSES || summary.failures.length) throw new Error(`CLI: ${JSON.stringify(summary)}`);

    const per = (ms: number) => `${(ms / CLASSES).toFixed(1).padStart(6)} ms/class`;
    console.log(
      `\nbench/recalculate — ${CLASSES} finished classes × ${STUDENTS} students; ${database.label}; ${machineLine()}`,
    );
    console.log(
      `API, one class a request (${IN_FLIGHT} in flight, each awaited)  ${(single / 1000).toFixed(2).padStart(6)} s  ${per(single)}`,
    );
    console.log(
      `API, one request for all, then its status          ${(bulk / 1000).toFixed(2).padStart(6)} s  ${per(bulk)}`,
    );
    console.log(
      `CLI batch (calculateSessions in-process)             ${(cli / 1000).toFixed(2).padStart(6)} s  ${per(cli)}`,
    );
    const ratio = bulk / cli;
    console.log(
      `one request / CLI batch: ${ratio.toFixed(2)}×   target (as fast per class as the CLI, within 10 %): ${ratio <= 1.1 ? "met" : "NOT met"}`,
    );
  } finally {
    await app.stop();
    await pool.end();
    await database.drop();
  }
}

await main();
