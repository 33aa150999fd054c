import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { inParallel, postWebhook, seedAcademy } from "./support/fixtures.ts";
import { openLiveStream, until, type LiveStream } from "./support/live-stream.ts";
import { compareWithReference, createRandomClasses } from "./support/random-classes.ts";

// 100 classes of 30 students running at the same time for an hour, their webhooks sent in the order
// LiveKit would send them (the hour compressed), while a teacher's live views are open. Nothing is
// dropped, each live view hears of every change to its class and of no other, and the reports
// afterwards match the pure core.
const MIN = 60_000;
const CLASSES = 100;
const WATCHED = 3;
const backend = backends().find((b) => b.name === "postgres")!;

/** The changes a class's stream announced for it (its webhooks), and for any other class. */
const announced = (stream: LiveStream, sessionId: string) => {
  const changes = stream.events.filter((event) => event.name === "change");
  return {
    mine: changes.filter((event) => event.data.sessionId === sessionId && event.data.event !== "calculated").length,
    foreign: changes.filter((event) => event.data.sessionId !== sessionId).length,
  };
};

describe("load: 100 concurrent classes of 30 for an hour, with live views open", () => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test("nothing is dropped, live views see every change, and the reports match the reference", async () => {
    const { key, academy } = await seedAcademy(db.prisma, "Load Academy");
    const start = Math.floor((Date.now() - 75 * MIN) / MIN) * MIN;
    const classes = await createRandomClasses(backend.baseUrl, key, {
      count: CLASSES,
      seed: 4242,
      sizes: [30, 30],
      schedule: { start, minutes: 60 },
    });

    const email = `load-admin-${Date.now()}@load.test`;
    await createDashboardUser(db.prisma, {
      academyId: academy.id,
      role: "admin",
      email,
      name: "Load Admin",
      password: "load-admin-password",
    });
    const signIn = await fetch(`${backend.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: backend.baseUrl, "x-forwarded-for": "198.51.100.77" },
      body: JSON.stringify({ email, password: "load-admin-password" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const streams = await Promise.all(
      classes.slice(0, WATCHED).map((c) => openLiveStream(backend.baseUrl, cookie, c.sessionId)),
    );

    // In the order LiveKit sends them: by event time across all classes.
    const deliveries = classes
      .flatMap((c) => c.bodies.map((body, i) => ({ body, at: c.times[i]! })))
      .sort((a, b) => a.at - b.at);
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
    const { rows } = await db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM webhook_event WHERE id = ANY($1::text[])",
      [ids],
    );
    expect(Number(rows[0]!.n)).toBe(ids.length);

    // Every stored webhook of a watched class is announced on its stream (allow the last ones to arrive).
    for (const [index, stream] of streams.entries()) {
      const { sessionId, bodies } = classes[index]!;
      await until(
        `class ${index}'s ${bodies.length} changes`,
        () => (announced(stream, sessionId).mine >= bodies.length ? true : undefined),
        5_000,
      );
      expect(announced(stream, sessionId), `changes announced for class ${index}`).toEqual({
        mine: bodies.length,
        foreign: 0,
      });
      stream.close();
    }

    const summary = await calculateSessions({
      pool: db.pool,
      sessionIds: classes.map((c) => c.sessionId),
      force: true,
      trigger: "manual",
    });
    expect(summary.failures).toEqual([]);
    expect(await compareWithReference(db.pool, classes)).toEqual([]);
  }, 600_000);
});
