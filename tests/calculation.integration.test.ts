import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDb } from "../lib/db/client.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { startInProcessRunner } from "../lib/scheduling/in-process-runner.ts";
import { createRng, shuffle } from "../lib/simulation/random.ts";
import { simulateClass, type Behaviour } from "../lib/simulation/simulate-class.ts";
import { participantJoined, toWebhookBody } from "../lib/simulation/webhook-payloads.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";
import { callApi, postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { referenceAttendance } from "./support/reference.ts";

const MIN = 60_000;
const BEHAVIOURS: Behaviour[] = [
  "on_time",
  "early_prep",
  "late",
  "very_late",
  "left_early",
  "brief",
  "absent",
  "reconnects",
  "network_drops",
  "second_tab",
  "lost_leave",
  "aborted_then_joins",
  "phone_dial_in",
];

interface ReportBody {
  isCalculated: boolean;
  counts: Record<string, number>;
  reports: {
    identity: string;
    status: string;
    effectiveStatus: string;
    attendedSeconds: number;
    percentage: number;
    isLate: boolean;
    lateMinutes: number;
    explanation: string;
    isAutoCalculated: boolean;
    override: { status: string; note: string; by: string } | null;
    policy: Record<string, number>;
  }[];
  guests: { identity: string }[];
}

describe.each(backends())("attendance calculation on $name", (backend) => {
  let db: BackendDb;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    db = connectBackend(backend);
    key = (await seedAcademy(db.prisma, "Calc Academy")).key;
    otherKey = (await seedAcademy(db.prisma, "Other Academy")).key;
  });
  afterAll(() => db.close());

  /** A finished class created through the API, its webhooks delivered shuffled and duplicated. */
  async function deliveredClass(seed: number, { endedMinutesAgo = 30, size = BEHAVIOURS.length, apiKey = key } = {}) {
    const rng = createRng(seed);
    const room = uniqueName("calc");
    const end = Date.now() - endedMinutesAgo * MIN;
    const start = end - 60 * MIN;
    const students = Array.from({ length: size }, (_, i) => ({
      externalId: `${room}-s${i}`,
      name: `Student ${i}`,
      livekitIdentity: `${room}-s${i}`,
    }));
    const teacher = { externalId: `${room}-t`, name: "Teacher", livekitIdentity: `${room}-t` };
    const created = await callApi<{ session: { id: string } }>(backend.baseUrl, apiKey, "POST", "/sessions", {
      type: "academic",
      title: "Calc",
      roomName: room,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(end).toISOString(),
      teacher,
      students,
    });
    expect(created.status).toBe(201);
    const plan = {
      roomName: room,
      start,
      end,
      withRecorder: true,
      teacher: { identity: teacher.livekitIdentity, name: teacher.name },
      students: students.map((student, i) => ({
        identity: student.livekitIdentity,
        name: student.name,
        behaviour: BEHAVIOURS[i % BEHAVIOURS.length]!,
      })),
    };
    const bodies = simulateClass(plan, rng).map((event) => toWebhookBody(event.payload));
    bodies.push(
      toWebhookBody(
        participantJoined(
          "EV_guest" + seed,
          { sid: "RM_g", name: room, creationTimeMs: start },
          { sid: "PA_guest", identity: "visitor", name: "Visitor", joinedAtMs: start + 10 * MIN },
          start + 10 * MIN,
        ),
      ),
    );
    for (const body of shuffle(rng, [...bodies, ...bodies.slice(0, 5)]))
      expect((await postWebhook(backend.baseUrl, body)).status).toBe(200);
    const roster = [
      { identity: teacher.livekitIdentity, personId: "", role: "teacher" as const },
      ...students.map((student) => ({ identity: student.livekitIdentity, personId: "", role: "student" as const })),
    ];
    return { sessionId: created.json.session.id, bodies, start, end, roster };
  }

  const reportOf = async (sessionId: string, apiKey = key) =>
    callApi<ReportBody>(backend.baseUrl, apiKey, "GET", `/sessions/${sessionId}/report`);

  test("reports match the rules applied to the ordered stream, for every roster person and the guest", async () => {
    const { sessionId, bodies, start, end, roster } = await deliveredClass(101);
    const summary = await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
    expect(summary).toMatchObject({ sessions: 1, failures: [] });

    const expected = referenceAttendance(bodies, { start, end, roster });
    const { json } = await reportOf(sessionId);
    expect(json.isCalculated).toBe(true);
    const actual = Object.fromEntries(
      json.reports.map((r) => [r.identity, [r.status, r.attendedSeconds, r.percentage, r.isLate, r.lateMinutes]]),
    );
    const wanted = Object.fromEntries(
      expected.people.map((p) => [p.identity, [p.status, p.attendedSeconds, p.percentage, p.isLate, p.lateMinutes]]),
    );
    expect(actual).toEqual(wanted);
    expect(json.guests.map((guest) => guest.identity)).toEqual(expected.guests.map((guest) => guest.identity));
    expect(new Set(json.reports.map((r) => r.status)).size).toBeGreaterThanOrEqual(3);
  });

  test("calculating twice gives the same rows", async () => {
    const { sessionId } = await deliveredClass(202);
    const now = new Date();
    const rows = async () =>
      (await db.pool.query("SELECT * FROM attendance_report WHERE session_id = $1 ORDER BY identity", [sessionId]))
        .rows;
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual", now });
    const first = await rows();
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual", now });
    expect(await rows()).toEqual(first);
    expect(first.length).toBeGreaterThan(10);
  });

  test("an override survives recalculation, keeps who and when, and can be removed", async () => {
    const { sessionId, roster } = await deliveredClass(303);
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
    const absentee = roster.find((person) => person.role === "student")!.identity;
    const set = await callApi<{ report: ReportBody["reports"][number] }>(
      backend.baseUrl,
      key,
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(absentee)}/override`,
      { status: "excused", note: "family emergency" },
    );
    expect(set.status).toBe(200);
    expect(set.json.report).toMatchObject({
      effectiveStatus: "excused",
      override: { status: "excused", note: "family emergency" },
    });

    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
    const after = (await reportOf(sessionId)).json.reports.find((r) => r.identity === absentee)!;
    expect(after.override).toMatchObject({ status: "excused", note: "family emergency" });
    expect(after.effectiveStatus).toBe("excused");

    const bad = await callApi(
      backend.baseUrl,
      key,
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(absentee)}/override`,
      { status: "sick" },
    );
    expect(bad.status).toBe(422);
    const nobody = await callApi(backend.baseUrl, key, "PUT", `/sessions/${sessionId}/reports/nobody/override`, {
      status: "excused",
      note: "ill",
    });
    expect(nobody.status).toBe(404);
    const foreign = await callApi(
      backend.baseUrl,
      otherKey,
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(absentee)}/override`,
      { status: "absent" },
    );
    expect(foreign.status).toBe(404);
    const cleared = await callApi<{ report: { override: unknown; effectiveStatus: string; status: string } }>(
      backend.baseUrl,
      key,
      "DELETE",
      `/sessions/${sessionId}/reports/${encodeURIComponent(absentee)}/override`,
    );
    expect(cleared.json.report.override).toBeNull();
    expect(cleared.json.report.effectiveStatus).toBe(cleared.json.report.status);
  });

  test("a webhook after the calculation marks the session uncalculated again; the next run counts it", async () => {
    const { sessionId, start } = await deliveredClass(404, { size: 3 });
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
    const session = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.isCalculated).toBe(true);
    const late = toWebhookBody(
      participantJoined(
        `EV_late${Date.now()}`,
        { sid: "RM_x", name: session.roomName, creationTimeMs: start },
        { sid: "PA_late", identity: "latecomer", name: "L", joinedAtMs: start + 5 * MIN },
        start + 5 * MIN,
      ),
    );
    expect((await postWebhook(backend.baseUrl, late)).status).toBe(200);
    expect((await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).isCalculated).toBe(false);
    expect((await reportOf(sessionId)).json.isCalculated).toBe(false);
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], trigger: "sweep" });
    expect(await db.prisma.attendanceReport.count({ where: { sessionId, identity: "latecomer" } })).toBe(1);
  });

  // The interleavings of a calculation and a webhook, forced one at a time by holding the session's
  // lock and releasing it once both wait in a known order. PGlite is a single backend whose wire
  // server runs one transaction at a time, so only PostgreSQL can interleave them at all.
  if (backend.name === "postgres") {
    const waitersOnAdvisoryLocks = async () =>
      (
        await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        )
      ).rows[0]!.n;
    const untilWaiting = async (count: number) => {
      const deadline = Date.now() + 10_000;
      while ((await waitersOnAdvisoryLocks()) < count) {
        if (Date.now() > deadline) throw new Error(`fewer than ${count} waiters on the session lock`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    async function interleave(first: "webhook" | "calculation") {
      const { sessionId, start } = await deliveredClass(first === "webhook" ? 505 : 515, { size: 3 });
      const session = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      const holder = await db.pool.connect();
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [sessionId]);
      const body = toWebhookBody(
        participantJoined(
          `EV_during${first}${Date.now()}`,
          { sid: "RM_y", name: session.roomName, creationTimeMs: start },
          { sid: "PA_during", identity: "during", name: "D", joinedAtMs: start + MIN },
          start + MIN,
        ),
      );
      const base = await waitersOnAdvisoryLocks();
      let webhook: Promise<{ status: number }>;
      let calculation: ReturnType<typeof calculateSessions>;
      if (first === "webhook") {
        webhook = postWebhook(backend.baseUrl, body);
        await untilWaiting(base + 1);
        calculation = calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
      } else {
        calculation = calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
        await untilWaiting(base + 1);
        webhook = postWebhook(backend.baseUrl, body);
      }
      await untilWaiting(base + 2);
      await holder.query("COMMIT");
      holder.release();
      expect((await calculation).sessions).toBe(1);
      expect((await webhook).status).toBe(200);
      const stored = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      const during = await db.prisma.attendanceReport.count({ where: { sessionId, identity: "during" } });
      return { isCalculated: stored.isCalculated, during };
    }

    test("a webhook stored while a calculation waits is in that calculation", async () => {
      expect(await interleave("webhook")).toEqual({ isCalculated: true, during: 1 });
    });

    test("a webhook that waits behind a running calculation marks the session uncalculated, never lost", async () => {
      expect(await interleave("calculation")).toEqual({ isCalculated: false, during: 0 });
    });
  }

  test("the API: report JSON, a recalculation (202) that runs in the background, CSV for a session and a range", async () => {
    const { sessionId, roster } = await deliveredClass(606, { size: 5 });
    const requested = await callApi<{ status: string; requestedAt: string; statusUrl: string; done: string }>(
      backend.baseUrl,
      key,
      "POST",
      `/sessions/${sessionId}/recalculate`,
    );
    expect(requested.status).toBe(202);
    // The answer says what to wait for: the report at statusUrl, calculated at or after requestedAt.
    expect(requested.json).toMatchObject({ status: "queued", statusUrl: `/api/v1/sessions/${sessionId}/report` });
    const deadline = Date.now() + 20_000;
    let report = await callApi<ReportBody & { calculatedAt: string | null }>(
      backend.baseUrl,
      key,
      "GET",
      requested.json.statusUrl.replace("/api/v1", ""),
    );
    while (
      !(report.json.calculatedAt && report.json.calculatedAt >= requested.json.requestedAt) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      report = await callApi(backend.baseUrl, key, "GET", requested.json.statusUrl.replace("/api/v1", ""));
    }
    expect(report.json.reports.map((r) => r.identity).sort()).toEqual(roster.map((person) => person.identity).sort());
    expect(report.json.reports.every((r) => r.isAutoCalculated === false && r.policy.graceMinutes === 15)).toBe(true);
    // The counts are the students' (the roster here is the teacher and five students).
    expect(Object.values(report.json.counts).reduce((a, b) => a + b, 0)).toBe(roster.length - 1);

    const csv = await fetch(`${backend.baseUrl}/api/v1/sessions/${sessionId}/report.csv`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^session_id,session_title,session_type,/);
    expect(lines.length).toBe(1 + report.json.reports.length + report.json.guests.length);

    const day = new Date(Date.now() - 24 * 60 * MIN).toISOString();
    const range = await fetch(
      `${backend.baseUrl}/api/v1/reports.csv?from=${day}&to=${new Date(Date.now() + MIN).toISOString()}`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    expect(range.status).toBe(200);
    expect((await range.text()).split("\r\n").filter((line) => line.startsWith(sessionId)).length).toBe(
      lines.length - 1,
    );
    const foreign = await callApi(backend.baseUrl, otherKey, "GET", `/sessions/${sessionId}/report`);
    expect(foreign.status).toBe(404);
    const noRange = await callApi(backend.baseUrl, key, "GET", "/reports.csv?from=yesterday");
    expect(noRange.status).toBe(422);

    // A class still running has no attendance yet.
    const running = await deliveredClass(616, { size: 2, endedMinutesAgo: -30 });
    const early = await callApi<{ error: { message: string } }>(
      backend.baseUrl,
      key,
      "POST",
      `/sessions/${running.sessionId}/recalculate`,
    );
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/not ended/);
    const forced = await calculateSessions({
      pool: db.pool,
      sessionIds: [running.sessionId],
      force: true,
      trigger: "manual",
    });
    expect(forced).toMatchObject({ sessions: 0, skipped: 1 });
  });

  test("the in-process runner calculates a finished class by itself", async () => {
    // The test servers run no sweep, so the runner is started here, on this backend's database.
    const { sessionId } = await deliveredClass(707, { size: 4, endedMinutesAgo: 10 });
    const saved = { url: process.env.DATABASE_URL, interval: process.env.ROLLCALL_SWEEP_INTERVAL_SECONDS };
    process.env.DATABASE_URL = backend.databaseUrl;
    process.env.ROLLCALL_SWEEP_INTERVAL_SECONDS = "1";
    await closeDb();
    const runner = startInProcessRunner();
    try {
      const deadline = Date.now() + 30_000;
      let report = await reportOf(sessionId);
      while (!report.json.isCalculated && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        report = await reportOf(sessionId);
      }
      expect(report.json.isCalculated).toBe(true);
      expect(report.json.reports.length).toBe(5);
      expect(report.json.reports.every((r) => r.isAutoCalculated)).toBe(true);
    } finally {
      runner.stop();
      await closeDb();
      for (const [name, value] of [
        ["DATABASE_URL", saved.url],
        ["ROLLCALL_SWEEP_INTERVAL_SECONDS", saved.interval],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test("rollcall attendance:calculate calculates pending sessions and prints a summary", async () => {
    const { sessionId } = await deliveredClass(808, { size: 3, endedMinutesAgo: 2 });
    const env: Record<string, string> = backend.dataDir
      ? { DATABASE_URL: "", ROLLCALL_DATA_DIR: backend.dataDir }
      : { DATABASE_URL: backend.databaseUrl };
    const result = await runCli(["attendance:calculate", sessionId], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /sessions\s+skipped\s+students\s+present\s+late\s+partial\s+absent\s+teachers\s+guests\s+failed\s+seconds/,
    );
    // Three students (their statuses add up to three), one teacher apart.
    const row = /^1\s+0\s+3\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+1\s/m.exec(result.stdout);
    expect(row, result.stdout).not.toBeNull();
    expect(
      row!
        .slice(1, 5)
        .map(Number)
        .reduce((a, b) => a + b, 0),
    ).toBe(3);
    const bad = await runCli(["attendance:calculate", "--type", "lecture"], env);
    expect(bad.code).toBe(2);
    const reconcile = await runCli(["attendance:reconcile"], env);
    expect(reconcile.code).toBe(0);
    expect(reconcile.stdout).toMatch(
      /\d+ connection\(s\) in \d+ session\(s\) of the last 7 day\(s\) had no leave webhook/,
    );
  });

  test("the policy: academy defaults, a stricter grace for one session type, and invalid changes refused", async () => {
    const { key: policyKey } = await seedAcademy(db.prisma, "Strict Academy");
    const initial = await callApi<{ policy: { defaults: Record<string, number> } }>(
      backend.baseUrl,
      policyKey,
      "GET",
      "/policy",
    );
    expect(initial.json.policy.defaults).toEqual({
      graceMinutes: 15,
      absentBelow: 0.1,
      partialAtOrBelow: 0.5,
      presentAbove: 0.75,
    });

    const strict = { graceMinutes: 0, absentBelow: 0.1, partialAtOrBelow: 0.5, presentAbove: 0.75 };
    const updated = await callApi<{ policy: { types: Record<string, { effective: Record<string, number> }> } }>(
      backend.baseUrl,
      policyKey,
      "PUT",
      "/policy",
      { types: { academic: { graceMinutes: 0 } } },
    );
    expect(updated.status).toBe(200);
    expect(updated.json.policy.types.academic!.effective).toEqual(strict);
    expect(updated.json.policy.types.quran!.effective.graceMinutes).toBe(15);

    const { sessionId, bodies, start, end, roster } = await deliveredClass(909, { apiKey: policyKey });
    await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });
    const { json } = await reportOf(sessionId, policyKey);
    expect(json.reports.every((r) => r.policy.graceMinutes === 0)).toBe(true);
    const expected = referenceAttendance(bodies, { start, end, roster, policy: strict });
    expect(Object.fromEntries(json.reports.map((r) => [r.identity, r.status]))).toEqual(
      Object.fromEntries(expected.people.map((p) => [p.identity, p.status])),
    );

    const invalid = await callApi<{ error: { details: { path: string }[] } }>(
      backend.baseUrl,
      policyKey,
      "PUT",
      "/policy",
      { defaults: { absentBelow: 0.9 } },
    );
    expect(invalid.status).toBe(422);
    const after = await callApi<{ policy: { defaults: Record<string, number> } }>(
      backend.baseUrl,
      policyKey,
      "GET",
      "/policy",
    );
    expect(after.json.policy.defaults.absentBelow).toBe(0.1);
    const others = await callApi<{ policy: { types: Record<string, { effective: Record<string, number> }> } }>(
      backend.baseUrl,
      key,
      "GET",
      "/policy",
    );
    expect(others.json.policy.types.academic!.effective.graceMinutes).toBe(15);
  });
});
