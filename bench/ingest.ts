// bench/ingest: signed webhooks for 100 concurrent classes of 30 students, sent over HTTP to the
// real route (next start), then the same database writes as plain SQL, in the same run; and, for
// scale, the same requests refused by the route before any work (the framework's own cost).
//
//   npm run bench:ingest -- [--classes 100] [--students 30] [--concurrency 32] [--rate 500]
//                           [--seconds 20] [--database postgres|embedded] [--runs 1] [--profile DIR]
//                           [--store-only]
//
// --store-only: the database writes alone (no app, no HTTP), each run on a fresh database: the
// figure to compare two versions of the store with, since it leaves out the framework's noise.
//
// Besides rates and latencies it prints the CPU each phase cost per webhook, in the app's process and
// in PostgreSQL's: figures that other work on the machine disturbs far less than a rate.
import http from "node:http";
import pg from "pg";
import { createPool } from "../lib/db/client.ts";
import { recordWebhookEvent } from "../lib/ingest/record-webhook-event.ts";
import { SHARED_SCOPE } from "../lib/livekit/credentials.ts";
import { parseWebhookBody } from "../lib/livekit/parse-webhook.ts";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../lib/livekit/sign-webhook.ts";
import { createRng } from "../lib/simulation/random.ts";
import { planClass, simulateClass } from "../lib/simulation/simulate-class.ts";
import { toWebhookBody } from "../lib/simulation/webhook-payloads.ts";
import { arg, cpuBetween, cpuSnapshot, createBenchDatabase, machineLine, percentile, startApp } from "./support.ts";

const CLASSES = Number(arg("classes", "100"));
const STUDENTS = Number(arg("students", "30"));
const CONCURRENCY = Number(arg("concurrency", "32"));
const RATE = Number(arg("rate", "500"));
const RATE_SECONDS = Number(arg("seconds", "20"));
const DATABASE = arg("database", "postgres");
/** Writes a V8 CPU profile of the app server there, to see where a webhook's time goes. */
const PROFILE_DIR = arg("profile", "");
const RUNS = Number(arg("runs", "1"));
const STORE_ONLY = process.argv.includes("--store-only");
const API_KEY = "bench-key";
const API_SECRET = "bench-secret-bench-secret-bench-secret";

interface Signed {
  body: string;
  authorization: string;
}

/** Three disjoint sets of classes (one per phase), so no phase only meets duplicates. */
async function prepareClasses(pool: pg.Pool, phase: string, start: number) {
  const rng = createRng([...phase].reduce((seed, char) => seed * 31 + char.charCodeAt(0), CLASSES));
  const academy = await pool.query<{ id: string }>(
    `INSERT INTO academy (id, name, slug) VALUES ($1, $2, $1) RETURNING id`,
    [`bench-${phase}`, `Bench ${phase}`],
  );
  const academyId = academy.rows[0]!.id;
  const events: { at: number; body: string }[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const roomName = `bench-${phase}-${c}`;
    const plan = planClass(rng, {
      roomName,
      start: start + (c % 10) * 60_000,
      minutes: 60,
      size: STUDENTS,
      identityPrefix: `${phase}-${c}`,
    });
    await pool.query(
      `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end) VALUES ($1, $2, 'academic', $1, $1, $3, $4)`,
      [roomName, academyId, new Date(plan.start), new Date(plan.end)],
    );
    for (const event of simulateClass(plan, rng)) events.push({ at: event.at, body: toWebhookBody(event.payload) });
  }
  // The classes run at the same time: their webhooks interleave as they would arrive.
  return events.sort((a, b) => a.at - b.at).map((event) => event.body);
}

async function sign(bodies: string[]): Promise<Signed[]> {
  return Promise.all(
    bodies.map(async (body) => ({ body, authorization: await signWebhook(body, API_KEY, API_SECRET) })),
  );
}

// Plain node:http with keep-alive: the load generator shares the two cores with the app and the
// database, so it should cost as little as it can. An idle socket is closed here after 3 s, before
// the server's keep-alive timeout (5 s) closes it: a request sent on a socket the server is closing
// fails with ECONNRESET, which stopped the odd run between two phases.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 3_000 });
function post(
  baseUrl: string,
  item: Signed,
  { contentType = WEBHOOK_CONTENT_TYPE, expect = 200 } = {},
): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/api/livekit/webhook`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": contentType,
          authorization: item.authorization,
          "content-length": Buffer.byteLength(item.body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          response.statusCode === expect
            ? resolve(performance.now() - started)
            : reject(new Error(`webhook answered ${response.statusCode}`)),
        );
      },
    );
    request.on("error", reject);
    request.end(item.body);
  });
}

async function closedLoop<T>(items: T[], concurrency: number, work: (item: T) => Promise<number>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) latencies.push(await work(items[i]!));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rate: items.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

/** Open loop: request i is due at i / rate, whatever happened to the others (no coordinated omission). */
async function fixedRate(
  items: Signed[],
  rate: number,
  baseUrl: string,
  options: { contentType?: string; expect?: number } = {},
) {
  const latencies: number[] = [];
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(post(baseUrl, items[i]!, options).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rate: items.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

interface Phase {
  rate: number;
  latencies: number[];
  /** CPU per webhook (ms) in the app's processes and in PostgreSQL's. */
  cpu: { app: number; database: number };
}

/** Runs a phase of `count` webhooks and adds the CPU it cost per webhook. */
async function measured(
  appPid: number,
  count: number,
  phase: () => Promise<{ rate: number; latencies: number[] }>,
): Promise<Phase> {
  const before = cpuSnapshot();
  const result = await phase();
  const used = cpuBetween(before, cpuSnapshot(), appPid);
  return { ...result, cpu: { app: used.appMs / count, database: used.databaseMs / count } };
}

function row(label: string, result: Phase, count: number): string {
  const ms = (p: number) => percentile(result.latencies, p).toFixed(1).padStart(6);
  const cpu = (value: number) => value.toFixed(3).padStart(7);
  return `${label.padEnd(36)} ${String(count).padStart(6)}  ${result.rate.toFixed(0).padStart(6)}/s  ${ms(50)}  ${ms(95)}  ${ms(99)}  ${cpu(result.cpu.app)}  ${cpu(result.cpu.database)}`;
}

async function run(index: number): Promise<{ ok: boolean }> {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 10);
  const nodeFlags = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const app = await startApp(
    database.url,
    {
      LIVEKIT_API_KEY: API_KEY,
      LIVEKIT_API_SECRET: API_SECRET,
      BETTER_AUTH_SECRET: "bench-ingest-secret-0123456789abcdefghij",
      ROLLCALL_DB_POOL_SIZE: "10",
    },
    nodeFlags,
  );
  const { baseUrl, pid } = app;
  try {
    // Classes tomorrow: the app's own background sweep must not calculate them while we measure ingest.
    const start = Date.now() + 24 * 60 * 60_000;
    const [httpBodies, rateBodies, sqlBodies] = [
      await prepareClasses(pool, "http", start),
      await prepareClasses(pool, "rate", start),
      await prepareClasses(pool, "sql", start),
    ];
    const rateItems = await sign(rateBodies.slice(0, RATE * RATE_SECONDS));
    const httpItems = await sign(httpBodies);
    // Warm up the route (JIT, pool connections) on a handful of events that are then replayed as duplicates.
    await closedLoop(httpItems.slice(0, 200), 8, (item) => post(baseUrl, item));
    await closedLoop(httpItems.slice(0, 200), 8, (item) =>
      post(baseUrl, item, { contentType: "text/plain", expect: 415 }),
    );

    const http = await measured(pid, httpItems.length, () =>
      closedLoop(httpItems, CONCURRENCY, (item) => post(baseUrl, item)),
    );
    // The framework's own cost on this machine: the same requests through the same route, refused
    // (415, wrong media type) right after the body is read: no signature check, no database.
    const floor = await measured(pid, httpItems.length, () =>
      closedLoop(httpItems, CONCURRENCY, (item) => post(baseUrl, item, { contentType: "text/plain", expect: 415 })),
    );
    const paced = await measured(pid, rateItems.length, () => fixedRate(rateItems, RATE, baseUrl));
    // The framework alone at the same pace: the tail no webhook handler can go below.
    const pacedFloor = await measured(pid, rateItems.length, () =>
      fixedRate(rateItems, RATE, baseUrl, { contentType: "text/plain", expect: 415 }),
    );
    const receivedAt = new Date();
    const sql = await measured(pid, sqlBodies.length, () =>
      closedLoop(sqlBodies, CONCURRENCY, async (body) => {
        const t = performance.now();
        await recordWebhookEvent(pool, parseWebhookBody(body, receivedAt), body, receivedAt, {
          apiKey: API_KEY,
          scope: SHARED_SCOPE,
        });
        return performance.now() - t;
      }),
    );
    const stored = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_event")).rows[0]!.n;

    console.log(
      `\nbench/ingest run ${index + 1} of ${RUNS} — ${CLASSES} concurrent classes × ${STUDENTS} students; ${database.label}; ${machineLine()}`,
    );
    console.log(
      `${"".padEnd(36)} ${"events".padStart(6)}  ${"rate".padStart(8)}  ${"p50 ms".padStart(6)}  ${"p95 ms".padStart(6)}  ${"p99 ms".padStart(6)}  ${"app CPU".padStart(7)}  ${"db CPU".padStart(7)}`,
    );
    console.log(row(`HTTP, ${CONCURRENCY} concurrent (max rate)`, http, httpItems.length));
    console.log(row(`HTTP, paced at ${RATE}/s`, paced, rateItems.length));
    console.log(row(`HTTP refused at once (415), ${CONCURRENCY} conc.`, floor, httpItems.length));
    console.log(row(`HTTP refused at once, paced at ${RATE}/s`, pacedFloor, rateItems.length));
    console.log(row(`store only (no HTTP), ${CONCURRENCY} conc.`, sql, sqlBodies.length));
    console.log(`(CPU columns: ms per webhook; the store-only phase's app CPU is this process's, not measured)`);
    const ratio = http.rate / floor.rate;
    console.log(
      `HTTP / the same route refusing at once: ${(ratio * 100).toFixed(0)} %   app CPU beyond the framework: ${(http.cpu.app - floor.cpu.app).toFixed(3)} ms a webhook   rows stored: ${stored}`,
    );
    const p99 = percentile(paced.latencies, 99);
    const ok = ratio >= 0.7 && p99 <= 25;
    console.log(
      `targets (HTTP >= 70 % of the route refusing at once; p99 <= 25 ms at ${RATE}/s): ${ok ? "met" : "NOT met"} (${(ratio * 100).toFixed(0)} %, ${p99.toFixed(1)} ms)`,
    );
    return { ok };
  } finally {
    await app.stop();
    await pool.end();
    await database.drop();
  }
}

/** The store alone: the same webhooks as run()'s store-only phase, on a fresh database. */
async function storeOnly(index: number): Promise<void> {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 10);
  try {
    const sqlBodies = await prepareClasses(pool, "sql", Date.now() + 24 * 60 * 60_000);
    const receivedAt = new Date();
    const sql = await measured(process.pid, sqlBodies.length, () =>
      closedLoop(sqlBodies, CONCURRENCY, async (body) => {
        const t = performance.now();
        await recordWebhookEvent(pool, parseWebhookBody(body, receivedAt), body, receivedAt, {
          apiKey: API_KEY,
          scope: SHARED_SCOPE,
        });
        return performance.now() - t;
      }),
    );
    if (index === 0) console.log(`bench/ingest --store-only — ${database.label}; ${machineLine()}`);
    console.log(row(`run ${index + 1}: store only, ${CONCURRENCY} conc.`, sql, sqlBodies.length));
  } finally {
    await pool.end();
    await database.drop();
  }
}

let met = 0;
for (let i = 0; i < RUNS; i++) {
  if (STORE_ONLY) await storeOnly(i);
  else if ((await run(i)).ok) met += 1;
}
if (RUNS > 1 && !STORE_ONLY) console.log(`\ntargets met in ${met} of ${RUNS} runs`);
