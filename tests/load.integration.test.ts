import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/reports/calculate-sessions.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy } from "./support/fixtures.ts";
import { compareWithReference, createRandomClasses, inParallel } from "./support/random-classes.ts";

// 100 classes of 30 students running at the same time for an hour, their webhooks sent in the order
// LiveKit would send them (the hour compressed), while a teacher's live views are open. Nothing is
// dropped, each live view hears of every change to its class and of no other, and the reports
// afterwards match the pure core.
const MIN = 60_000;
const CLASSES = 100;
const WATCHED = 3;
const backend = backends().find((b) => b.name === "postgres")!;

interface Stream {
  sessionId: string;
  changes: number;
  foreign: number;
  close(): void;
}

/** Opens the dashboard's server-sent-events stream for a session and counts its "change" events. */
async function openLiveStream(cookie: string, sessionId: string): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${backend.baseUrl}/api/dashboard/sessions/${sessionId}/live`, { headers: { cookie }, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const stream: Stream = { sessionId, changes: 0, foreign: 0, close: () => abort.abort() };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let ready = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (message.includes("event: ready")) ready();
          if (!message.includes("event: change")) continue;
          const data = JSON.parse(message.split("\ndata: ")[1]!) as { sessionId: string; event: string };
          if (data.sessionId !== sessionId) stream.foreign++;
          else if (data.event !== "calculated") stream.changes++;
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  await isReady;
  return stream;
}

describe("load: 100 concurrent classes of 30 for an hour, with live views open", () => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test("nothing is dropped, live views see every change, and the reports match the reference", async () => {
    const { key, academy } = await seedAcademy(db.prisma, "Load Academy");
    const start = Math.floor((Date.now() - 75 * MIN) / MIN) * MIN;
    const classes = await createRandomClasses(backend.baseUrl, key, { count: CLASSES, seed: 4242, sizes: [30, 30], schedule: { start, minutes: 60 } });

    const email = `load-admin-${Date.now()}@load.test`;
    await createDashboardUser(db.prisma, { academyId: academy.id, role: "admin", email, name: "Load Admin", password: "load-admin-password" });
    const signIn = await fetch(`${backend.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: backend.baseUrl, "x-forwarded-for": "198.51.100.77" },
      body: JSON.stringify({ email, password: "load-admin-password" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const streams = await Promise.all(classes.slice(0, WATCHED).map((c) => openLiveStream(cookie, c.sessionId)));

    // In the order LiveKit sends them: by event time across all classes.
    const deliveries = classes.flatMap((c) => c.bodies.map((body, i) => ({ body, at: c.times[i]! }))).sort((a, b) => a.at - b.at);
    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    const began = performance.now();
    await inParallel(deliveries, 16, async ({ body }) => {
      const sent = performance.now();
      const { status } = await postWebhook(backend.baseUrl, body);
      latencies.push(performance.now() - sent);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const seconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `load: ${deliveries.length} webhooks for ${CLASSES} classes in ${seconds.toFixed(1)} s (${(deliveries.length / seconds).toFixed(0)}/s), ` +
        `p50 ${latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(1)} ms`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: deliveries.length });

    const ids = deliveries.map(({ body }) => (JSON.parse(body) as { id: string }).id);
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM webhook_event WHERE id = ANY($1::text[])", [ids]);
    expect(Number(rows[0]!.n)).toBe(ids.length);

    // Every stored webhook of a watched class is announced on its stream (allow the last ones to arrive).
    for (const [index, stream] of streams.entries()) {
      const expected = classes[index]!.bodies.length;
      for (let i = 0; i < 100 && stream.changes < expected; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stream.changes, `changes announced for class ${index}`).toBe(expected);
      expect(stream.foreign).toBe(0);
      stream.close();
    }

    const summary = await calculateSessions({ pool: db.pool, sessionIds: classes.map((c) => c.sessionId), force: true, trigger: "manual" });
    expect(summary.failures).toEqual([]);
    expect(await compareWithReference(db.pool, classes)).toEqual([]);
  }, 600_000);
});
