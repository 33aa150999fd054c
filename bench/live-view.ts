// bench/live-view: webhook → pixel. Opens a live class's page in Chromium (Debian's, as the e2e
// tests do), signed in as its teacher, and sends participant_joined webhooks one at a time through
// the real route; each is timed from the POST to the new "in the room" count on screen. Stages, on
// one clock (the page's times corrected by a measured offset): the route's 200, the live stream's
// "change" reaching the page, the presence re-read starting and its JSON read, the count in the DOM,
// and the next animation frame (the frame that paints it).
//
//   npm run build && npm run bench:live -- [--joins 20] [--runs 1] [--db postgres|embedded]
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { chromium, type Page } from "playwright-core";
import { createApiKey } from "../lib/api-keys/api-keys.ts";
import { createDashboardUser } from "../lib/auth/users.ts";
import { createPool } from "../lib/db/client.ts";
import { PrismaClient } from "../lib/generated/prisma/client.ts";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../lib/livekit/sign-webhook.ts";
import { participantJoined, toWebhookBody, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { CHROMIUM_LAUNCH_OPTIONS } from "../tools/chromium.ts";
import { arg, createBenchDatabase, machineLine, percentile, startApp } from "./support.ts";

const JOINS = Number(arg("joins", "20"));
const RUNS = Number(arg("runs", "1"));
const DATABASE = arg("db", arg("database", "postgres"));
/** Untimed joins first in each run: the server's and the page's first request of a kind is slower. */
const WARM_UP = 3;
const MIN = 60_000;
const LIVEKIT = { apiKey: "bench-live", apiSecret: "bench-live-secret-bench-live-secret-0123" };
const PASSWORD = "bench-live-password";

const now = () => performance.timeOrigin + performance.now();

/**
 * What the page records, on its own clock (epoch ms, sub-millisecond), installed before any of its
 * scripts run: each "change" its EventSource hears, each fetch (start, and when its JSON was read),
 * and each text the in-the-room count takes (in the DOM, then at the next animation frame). Plain
 * JavaScript text: tsx's output for a function (its name helpers) would not run in the page.
 */
const INSTRUMENT_PAGE = `(() => {
  const clock = () => performance.timeOrigin + performance.now();
  const live = (window.__live = { changes: [], reads: [], inFlight: 0, counts: [] });
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      this.addEventListener("change", () => live.changes.push(clock()));
    }
  };
  const nativeFetch = window.fetch;
  window.fetch = async function (input, init) {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const read = { url, start: clock(), end: null };
    live.reads.push(read);
    live.inFlight++;
    try {
      const response = await nativeFetch.call(window, input, init);
      const json = response.json.bind(response);
      response.json = async () => {
        try {
          return await json();
        } finally {
          read.end = clock();
        }
      };
      return response;
    } finally {
      live.inFlight--;
    }
  };
  let last = "";
  const observe = () => {
    const text = document.querySelector('[data-testid="in-room-count"]')?.textContent ?? "";
    if (text === last) return;
    last = text;
    const entry = { text, dom: clock(), frame: null };
    live.counts.push(entry);
    requestAnimationFrame(() => (entry.frame = clock()));
  };
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(observe).observe(document.body, { subtree: true, childList: true, characterData: true });
    observe();
  });
})();`;

type PageRecord = {
  changes: number[];
  reads: { url: string; start: number; end: number | null }[];
  inFlight: number;
  counts: { text: string; dom: number; frame: number | null }[];
};

/** The page's clock minus this process's, from the round trip with the smallest delay. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const sent = now();
    const theirs = await page.evaluate(() => performance.timeOrigin + performance.now());
    const back = now();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: theirs - (sent + back) / 2 };
  }
  return best.offset;
}

interface Timing {
  answer: number;
  change: number;
  readStart: number;
  readEnd: number;
  reportEnd: number;
  dom: number;
  frame: number;
}

const STAGES: [keyof Timing, string][] = [
  ["answer", "webhook answered (200)"],
  ["change", "stream's change reaches the page"],
  ["readStart", "presence re-read starts"],
  ["readEnd", "presence re-read read"],
  ["reportEnd", "(report re-read read, beside it)"],
  ["dom", "count in the DOM"],
  ["frame", "next frame (on screen)"],
];

async function runOnce(
  baseUrl: string,
  page: Page,
  apiKey: string,
  teacher: { externalId: string; name: string; livekitIdentity: string },
  run: number,
): Promise<Timing[]> {
  const students = Array.from({ length: WARM_UP + JOINS }, (_, i) => ({
    externalId: `bench-live-${run}-${i}`,
    name: `Student ${run}.${i}`,
    livekitIdentity: `student-${run}-${i}`,
  }));
  const start = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
  const roomName = `bench-live-${randomUUID()}`;
  const created = await fetch(`${baseUrl}/api/v1/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      type: "quran",
      title: `Live bench ${run}`,
      roomName,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(start + 60 * MIN).toISOString(),
      teacher,
      students,
    }),
  });
  if (created.status !== 201) throw new Error(`session not created: ${created.status} ${await created.text()}`);
  const { session } = (await created.json()) as { session: { id: string } };
  const room: RoomRef = { sid: `RM_${randomUUID().slice(0, 12)}`, name: roomName, creationTimeMs: start - MIN };

  // Signed beforehand: signing is LiveKit's work, not the path under test.
  const webhooks = await Promise.all(
    students.map(async (student) => {
      const at = Date.now();
      const body = toWebhookBody(
        participantJoined(
          `EV_${randomUUID().replace(/-/g, "").slice(0, 16)}`,
          room,
          {
            sid: `PA_${randomUUID().slice(0, 12)}`,
            identity: student.livekitIdentity,
            name: student.name,
            joinedAtMs: at,
          },
          at,
        ),
      );
      return { body, authorization: await signWebhook(body, LIVEKIT.apiKey, LIVEKIT.apiSecret) };
    }),
  );

  await page.goto(`${baseUrl}/sessions/${session.id}`);
  await page.getByTestId("live-dot").waitFor({ state: "visible", timeout: 30_000 });
  const countText = (n: number) => `${n} of ${students.length} students`;
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="in-room-count"]')?.textContent === text,
    countText(0),
  );
  const quiet = () => page.waitForFunction(() => (window as unknown as { __live: PageRecord }).__live.inFlight === 0);
  await quiet();
  const offset = await clockOffset(page);

  const timings: Timing[] = [];
  for (let i = 0; i < students.length; i++) {
    const { body, authorization } = webhooks[i]!;
    const expected = countText(i + 1);
    const t0 = now();
    const response = await fetch(`${baseUrl}/api/livekit/webhook`, {
      method: "POST",
      headers: { "content-type": WEBHOOK_CONTENT_TYPE, authorization },
      body,
    });
    const answered = now();
    if (response.status !== 200) throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    await page.waitForFunction(
      (text) =>
        (window as unknown as { __live: PageRecord }).__live.counts.some((c) => c.text === text && c.frame !== null),
      expected,
      { timeout: 30_000 },
    );
    await quiet();
    const record = await page.evaluate(() => (window as unknown as { __live: PageRecord }).__live);
    if (i < WARM_UP) continue;
    const local = (t: number) => t - offset - t0; // the page's epoch time → ms after t0 on this clock
    const change = record.changes.map(local).find((t) => t > -5);
    const shown = record.counts.find((c) => c.text === expected)!;
    const dom = local(shown.dom);
    // The presence read whose answer the count shows: the last one read before it rendered.
    const read = record.reads
      .filter((r) => r.url.endsWith("/presence") && r.end !== null && local(r.start) > -5 && local(r.end) <= dom + 0.5)
      .at(-1);
    const report = record.reads.filter((r) => r.url.endsWith("/report") && r.end !== null && local(r.start) > -5).at(0);
    timings.push({
      answer: answered - t0,
      change: change ?? NaN,
      readStart: read ? local(read.start) : NaN,
      readEnd: read?.end != null ? local(read.end) : NaN,
      reportEnd: report?.end != null ? local(report.end) : NaN,
      dom,
      frame: local(shown.frame!),
    });
  }
  await routeAlone(baseUrl, page, session.id);
  return timings;
}

/**
 * For scale: the dashboard's reads timed from this process (the page's cookie, no browser), one
 * at a time: the presence alone, and the presence and the report together as the page asks them.
 */
async function routeAlone(baseUrl: string, page: Page, sessionId: string) {
  const cookie = (await page.context().cookies(baseUrl)).map((c) => `${c.name}=${c.value}`).join("; ");
  const get = async (what: string) => {
    const response = await fetch(`${baseUrl}/api/dashboard/sessions/${sessionId}/${what}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`${what}: ${response.status}`);
    await response.json();
  };
  const time = async (work: () => Promise<unknown>) => {
    const values: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = now();
      await work();
      values.push(now() - started);
    }
    return values.sort((a, b) => a - b);
  };
  const alone = await time(() => get("presence"));
  const both = await time(() => Promise.all([get("presence"), get("report")]));
  const f = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms`;
  console.log(`\nGET presence alone, 20 one at a time: ${f(alone)}; presence and report together: ${f(both)}`);
}

function summarize(label: string, timings: Timing[]) {
  console.log(`\n${label}: ${timings.length} joins, ms after the POST`);
  console.log(`${"stage".padEnd(36)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"max".padStart(7)}`);
  for (const [key, name] of STAGES) {
    const values = timings
      .map((t) => t[key])
      .filter((v) => Number.isFinite(v))
      .sort((a, b) => a - b);
    const f = (v: number) => v.toFixed(1).padStart(7);
    console.log(
      `${name.padEnd(36)} ${f(percentile(values, 50))} ${f(percentile(values, 95))} ${f(values.at(-1) ?? NaN)}`,
    );
  }
}

async function main() {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 2);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const app = await startApp(database.url, {
    LIVEKIT_API_KEY: LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
    BETTER_AUTH_SECRET: "bench-live-secret-0123456789abcdef0123",
    ROLLCALL_SWEEP_INTERVAL_SECONDS: "3600",
  });
  const { baseUrl } = app;
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const academy = await prisma.academy.create({
      data: { slug: `bench-live-${Date.now().toString(36)}`, name: "Live bench", timezone: "UTC" },
    });
    const { key } = await createApiKey(prisma, { academyId: academy.id, name: "bench" });
    const teacher = { externalId: "bench-live-teacher", name: "Bench Teacher", livekitIdentity: "bench-teacher" };
    const email = `teacher.${Date.now().toString(36)}@bench.test`;
    await createDashboardUser(prisma, {
      academyId: academy.id,
      role: "teacher",
      email,
      name: teacher.name,
      password: PASSWORD,
      externalId: teacher.externalId,
    });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: INSTRUMENT_PAGE });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/sessions$/);

    console.log(
      `\nbench/live-view — ${JOINS} joins a run (after ${WARM_UP} untimed), ${RUNS} run(s); ${database.label}; ${machineLine()}`,
    );
    const all: Timing[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const timings = await runOnce(baseUrl, page, key, teacher, run);
      all.push(...timings);
      summarize(`run ${run}`, timings);
    }
    if (RUNS > 1) summarize(`all ${RUNS} runs`, all);
  } finally {
    await browser.close();
    await app.stop();
    await prisma.$disconnect();
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}

await main();
