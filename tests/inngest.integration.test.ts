import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PER_SESSION_CONCURRENCY } from "../lib/scheduling/inngest-client.ts";
import { calculateSession } from "../inngest/calculate-session.ts";
import { recalculate } from "../inngest/recalculate.ts";
import { recalculateBulk } from "../inngest/recalculate-bulk.ts";
import { functions } from "../inngest/functions.ts";
import { sweep } from "../inngest/sweep.ts";
import { closeDb } from "../lib/db/client.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;

test("both calculation functions share one queue per session; the crons are what the rules say", () => {
  expect(calculateSession.opts.concurrency).toEqual([PER_SESSION_CONCURRENCY]);
  expect(recalculate.opts.concurrency).toEqual([PER_SESSION_CONCURRENCY]);
  expect(PER_SESSION_CONCURRENCY).toEqual({ key: "event.data.sessionId", scope: "env", limit: 1 });
  expect(sweep.opts.triggers).toEqual([{ cron: "*/5 * * * *" }]);
  // Reconciliation (rules section 9) is part of every fold of the log, so no job writes it.
  expect(functions.map((fn) => fn.opts.id)).toEqual(["calculate-session", "recalculate", "recalculate-bulk", "sweep"]);
  // Someone asked for these: never dropped.
  for (const fn of [recalculate, recalculateBulk]) {
    expect(fn.opts).not.toHaveProperty("rateLimit");
    expect(fn.opts).not.toHaveProperty("singleton");
  }
});

// The functions run for real (their steps reach the backend's database); only what would leave
// the process, an event sent to Inngest, is captured instead of sent.
describe.each(backends())("Inngest functions on $name", (backend) => {
  let db: BackendDb;
  let academyId: string;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    process.env.DATABASE_URL = backend.databaseUrl;
    await closeDb();
    db = connectBackend(backend);
    academyId = (await seedAcademy(db.prisma, "Inngest Academy")).academy.id;
  });
  afterAll(async () => {
    await closeDb();
    process.env.DATABASE_URL = previousUrl;
    await db.close();
  });

  async function sessionEnding(endsInMinutes: number) {
    const end = new Date(Date.now() + endsInMinutes * MIN);
    const teacher = await db.prisma.person.create({
      data: { academyId, externalId: uniqueName("t"), role: "teacher", name: "T", livekitIdentity: uniqueName("t") },
    });
    return db.prisma.session.create({
      data: {
        academyId,
        type: "quran",
        title: "Inngest",
        roomName: uniqueName("inngest"),
        scheduledStart: new Date(end.getTime() - 60 * MIN),
        scheduledEnd: end,
        teacherId: teacher.id,
        roster: { create: [{ personId: teacher.id, role: "teacher" }] },
      },
    });
  }
  const dueEvent = (sessionId: string) => ({
    name: "rollcall/session.calculation-due",
    data: { sessionId, dueAt: new Date().toISOString(), reason: "scheduled" },
  });

  test("calculate-session does nothing when the class was moved later", async () => {
    const session = await sessionEnding(+30);
    const { result } = await new InngestTestEngine({ function: calculateSession }).execute({
      events: [dueEvent(session.id)],
    });
    expect(result).toMatchObject({ sessionId: session.id, status: "not-due-yet" });
    expect(await db.prisma.attendanceReport.count({ where: { sessionId: session.id } })).toBe(0);
  });

  const EIGHT_DAYS_AGO = -8 * 24 * 60;

  test("calculate-session calculates a due session once; a repeat finds it calculated", async () => {
    const session = await sessionEnding(EIGHT_DAYS_AGO);
    const engine = new InngestTestEngine({ function: calculateSession });
    const { result } = await engine.execute({ events: [dueEvent(session.id)] });
    expect(result).toMatchObject({ sessionId: session.id, status: "calculated", students: 0, teachers: 1, guests: 0 });
    const report = await db.prisma.attendanceReport.findFirstOrThrow({ where: { sessionId: session.id } });
    expect(report).toMatchObject({ status: "absent", isAutoCalculated: true });
    const again = await new InngestTestEngine({ function: calculateSession }).execute({
      events: [dueEvent(session.id)],
    });
    expect(again.result).toMatchObject({ status: "already-calculated" });
  });

  test("calculate-session ignores a cancelled session", async () => {
    const session = await sessionEnding(EIGHT_DAYS_AGO);
    await db.prisma.session.update({ where: { id: session.id }, data: { cancelledAt: new Date() } });
    const { result } = await new InngestTestEngine({ function: calculateSession }).execute({
      events: [dueEvent(session.id)],
    });
    expect(result).toMatchObject({ status: "cancelled-or-missing" });
  });

  test("recalculate forces a calculated session to be calculated again, as requested by a person", async () => {
    const session = await sessionEnding(EIGHT_DAYS_AGO);
    await new InngestTestEngine({ function: calculateSession }).execute({ events: [dueEvent(session.id)] });
    const before = await db.prisma.attendanceReport.findFirstOrThrow({ where: { sessionId: session.id } });
    const { result } = await new InngestTestEngine({ function: recalculate }).execute({
      events: [
        {
          name: "rollcall/session.recalculation-requested",
          data: { sessionId: session.id, requestedBy: "teacher:1", requestId: "r1" },
        },
      ],
    });
    expect(result).toMatchObject({ sessionId: session.id, students: 0, teachers: 1, failures: [] });
    const after = await db.prisma.attendanceReport.findFirstOrThrow({ where: { sessionId: session.id } });
    expect(after.isAutoCalculated).toBe(false);
    expect(after.calculatedAt.getTime()).toBeGreaterThanOrEqual(before.calculatedAt.getTime());
  });

  test("recalculate-bulk recalculates every session of its event, each answering the request", async () => {
    const sessions = [await sessionEnding(EIGHT_DAYS_AGO), await sessionEnding(EIGHT_DAYS_AGO)];
    const ids = sessions.map((session) => session.id);
    await new InngestTestEngine({ function: calculateSession }).execute({ events: [dueEvent(ids[0]!)] });
    const requestedAt = new Date();
    const { result } = await new InngestTestEngine({ function: recalculateBulk }).execute({
      events: [
        {
          name: "rollcall/sessions.recalculation-requested",
          data: {
            sessionIds: ids,
            requestedBy: "api-key:bulk",
            requestId: "b1",
            requestedAt: requestedAt.toISOString(),
          },
        },
      ],
    });
    expect(result).toEqual({ requestId: "b1", sessions: 2, failures: [] });
    for (const session of await db.prisma.session.findMany({ where: { id: { in: ids } } }))
      expect(session.calculatedAt!.getTime()).toBeGreaterThanOrEqual(requestedAt.getTime());
  });

  test("sweep fans out one event per due, uncalculated session, and none for a class still running", async () => {
    const due = await sessionEnding(-20);
    const running = await sessionEnding(+20);
    const { result, ctx } = await new InngestTestEngine({ function: sweep }).execute({
      steps: [{ id: "fan-out-0", handler: () => ({ ids: [] }) }],
    });
    const sent = (
      ctx.step.sendEvent as unknown as {
        mock: { calls: [string, { data: { sessionId: string; reason: string } }[]][] };
      }
    ).mock.calls.flatMap(([, events]) => events);
    expect((result as { sent: number }).sent).toBe(sent.length);
    expect(sent.map((event) => event.data.sessionId)).toContain(due.id);
    expect(sent.map((event) => event.data.sessionId)).not.toContain(running.id);
    expect(sent.every((event) => event.data.reason === "sweep")).toBe(true);
  });

  test("sweep finds a class that finished early once its early window end plus the delay has passed", async () => {
    // Scheduled to end in 30 minutes, but the room finished 20 minutes ago and the teacher never came back.
    const session = await sessionEnding(+30);
    const finishedAt = new Date(Math.floor((Date.now() - 20 * MIN) / 1000) * 1000);
    await db.pool.query(
      `INSERT INTO webhook_event (id, event, event_time, received_at, room_name, raw_body) VALUES ($1, 'room_finished', $2, now(), $3, '{}')`,
      [uniqueName("EV_finish"), finishedAt, session.roomName],
    );
    const { ctx } = await new InngestTestEngine({ function: sweep }).execute({
      steps: [{ id: "fan-out-0", handler: () => ({ ids: [] }) }],
    });
    const sent = (
      ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { sessionId: string } }[]][] } }
    ).mock.calls.flatMap(([, events]) => events);
    expect(sent.map((event) => event.data.sessionId)).toContain(session.id);
    const { result } = await new InngestTestEngine({ function: calculateSession }).execute({
      events: [dueEvent(session.id)],
    });
    expect(result).toMatchObject({ status: "calculated" });
    const report = await db.prisma.attendanceReport.findFirstOrThrow({ where: { sessionId: session.id } });
    // The window ran from the scheduled start to the room's finish (rules section 5).
    expect(report.sessionSeconds).toBe(Math.round((finishedAt.getTime() - session.scheduledStart.getTime()) / 1000));
  });
});
