// Policy versions, the preview before a change, and the recorded recalculation of past classes
// (issue 15), over real HTTP on both databases. Worked out by hand from ATTENDANCE_RULES.md
// section 6: a 60-minute quran class; Ali joins 12 min after the start and leaves at 50 min: 38 min
// = 2,280 s of 3,600 s = 63.3 %, above the partial threshold (50 %) and not above the present one
// (75 %), so his status is decided by lateness. With the default grace (15 min) he is on time:
// present. With a 10-minute grace he arrived after it: late, 12 min late. Sara joins at 3 min and
// stays to the end (57 min, 95 %): present under both. The teacher is there throughout.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { participantJoined, participantLeft, toWebhookBody, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const now = Math.floor(Date.now() / MIN) * MIN;

const ALI_ON_TIME = { status: "present", attendedSeconds: 2280, percentage: 63.3, isLate: false, lateMinutes: 0 };
const ALI_LATE = { status: "late", attendedSeconds: 2280, percentage: 63.3, isLate: true, lateMinutes: 12 };

interface Report {
  policyVersion: number | null;
  reports: { identity: string; status: string; effectiveStatus: string; policy: Record<string, number> }[];
  calculations: {
    trigger: string;
    policyVersion: number;
    words: string;
    changes: unknown;
    policyApplicationId: string | null;
  }[];
}

describe.each(backends())("policy versions, preview and application on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key: string;
  let academyId = "";
  const teacher = { externalId: uniqueName("pv-t"), name: "Ustadh Idris", livekitIdentity: uniqueName("lk-pv-t") };
  const ali = { externalId: uniqueName("pv-ali"), name: "Ali", livekitIdentity: uniqueName("lk-pv-ali") };
  const sara = { externalId: uniqueName("pv-sara"), name: "Sara", livekitIdentity: uniqueName("lk-pv-sara") };

  /** A class of 60 min starting at `start`, with its webhooks delivered; its id. */
  async function holdClass(start: number): Promise<string> {
    const roomName = uniqueName("room-pv");
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title: `Class at ${iso(start)}`,
      roomName,
      scheduledStart: iso(start),
      scheduledEnd: iso(start + 60 * MIN),
      teacher,
      students: [ali, sara],
    });
    expect(created.status, created.text).toBe(201);
    const room: RoomRef = { sid: uniqueName("RM"), name: roomName, creationTimeMs: start - 5 * MIN };
    const ref = (who: typeof ali, at: number) => ({
      sid: `PA_${who.livekitIdentity}_${start}`,
      identity: who.livekitIdentity,
      name: who.name,
      joinedAtMs: at,
    });
    const stay = (who: typeof ali, from: number, to: number) => [
      participantJoined(uniqueName("EV_in"), room, ref(who, start + from * MIN), start + from * MIN),
      participantLeft(uniqueName("EV_out"), room, ref(who, start + from * MIN), start + to * MIN, "CLIENT_INITIATED"),
    ];
    for (const payload of [...stay(teacher, 0, 60), ...stay(ali, 12, 50), ...stay(sara, 3, 60)])
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
    return (created.json as { session: { id: string } }).session.id;
  }

  const calculate = async (sessionId: string) =>
    expect(
      await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" }),
    ).toMatchObject({ sessions: 1, failures: [] });
  const report = async (sessionId: string) => {
    const answer = await client.api("GET", `/sessions/${sessionId}/report`, key);
    expect(answer.status, answer.text).toBe(200);
    return answer.json as Report;
  };
  const statusOf = (r: Report, who: typeof ali) =>
    r.reports.find((row) => row.identity === who.livekitIdentity)!.status;
  const post = async (route: string, body: unknown) => client.api("POST", route, key, body);

  let first = "";
  let second = "";

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const seeded = await seedAcademy(db.prisma, "Policy Versions Academy");
    key = seeded.key;
    academyId = seeded.academy.id;
    first = await holdClass(now - 3 * 24 * 60 * MIN);
  }, 180_000);
  afterAll(() => db.close());

  test("a first calculation uses the academy's version 1 and is recorded as the first", async () => {
    await calculate(first);
    const r = await report(first);
    expect(r.policyVersion).toBe(1);
    expect([statusOf(r, ali), statusOf(r, sara)]).toEqual(["present", "present"]);
    expect(r.calculations).toEqual([
      expect.objectContaining({ trigger: "manual", policyVersion: 1, changes: null, words: "First calculation." }),
    ]);
  });

  test("the preview of a 10-minute grace names Ali's change and writes nothing", async () => {
    const answer = await post("/policy/preview", { changes: { defaults: { graceMinutes: 10 } }, weeks: 1 });
    expect(answer.status, answer.text).toBe(200);
    const { preview } = answer.json as { preview: Record<string, unknown> };
    expect(preview).toMatchObject({
      currentVersion: 1,
      values: {
        defaults: { graceMinutes: 10, absentBelow: 0.1, partialAtOrBelow: 0.5, presentAbove: 0.75 },
        types: {},
      },
      sessions: 1,
      changedSessions: 1,
      changedRows: 1,
      transitions: [{ from: "present", to: "late", students: 1, classes: 1 }],
      words: "1 student in 1 class: present → late.",
    });
    expect(preview.sessionsChanged).toEqual([
      {
        sessionId: first,
        title: expect.any(String),
        scheduledStart: iso(now - 3 * 24 * 60 * MIN),
        changes: [
          { identity: ali.livekitIdentity, name: "Ali", role: "student", before: ALI_ON_TIME, after: ALI_LATE },
        ],
      },
    ]);
    const academy = await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } });
    expect([academy.policyVersion, academy.graceMinutes]).toEqual([1, 15]);
    expect(await db.prisma.calculation.count({ where: { sessionId: first } })).toBe(1);
    expect(statusOf(await report(first), ali)).toBe("present");
  });

  test("a refused preview or application says why and changes nothing", async () => {
    for (const [route, body] of [
      ["/policy/preview", { changes: { defaults: { graceMinutes: 10 } }, weeks: 0 }],
      ["/policy/preview", { changes: { defaults: { graceMinutes: 10 } }, weeks: 53 }],
      ["/policy/preview", { changes: { defaults: { absentBelow: 0.9 } }, weeks: 4 }],
      ["/policy/preview", { weeks: 2.5 }],
      ["/policy/applications", { weeks: 0 }],
      ["/policy/applications", { weeks: 4, changes: {} }],
    ] as const) {
      const answer = await post(route, body);
      expect(answer.status, `${route} ${JSON.stringify(body)}: ${answer.text}`).toBe(422);
    }
    expect(await db.prisma.policyApplication.count({ where: { academyId } })).toBe(0);
    expect((await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } })).policyVersion).toBe(1);
  });

  test("saving makes version 2; a recalculation of a class calculated before keeps its version 1", async () => {
    const saved = await client.api("PUT", "/policy", key, { defaults: { graceMinutes: 10 } });
    expect(saved.status, saved.text).toBe(200);
    expect((saved.json as { policy: { version: number } }).policy.version).toBe(2);
    const versions = await client.api("GET", "/policy/versions", key);
    expect(versions.status).toBe(200);
    expect(
      (
        versions.json as { versions: { version: number; by: string | null; defaults: { graceMinutes: number } }[] }
      ).versions.map((v) => [v.version, v.by, v.defaults.graceMinutes]),
    ).toEqual([
      [2, 'API key "test"', 10],
      [1, null, 15],
    ]);

    await calculate(first);
    const r = await report(first);
    expect([r.policyVersion, statusOf(r, ali)]).toEqual([1, "present"]);
    expect(r.calculations.at(-1)).toMatchObject({
      trigger: "manual",
      policyVersion: 1,
      changes: [],
      words: "Nothing changed.",
    });
  });

  test("a class calculated for the first time after the save uses version 2", async () => {
    second = await holdClass(now - 2 * 24 * 60 * MIN);
    await calculate(second);
    const r = await report(second);
    expect([r.policyVersion, statusOf(r, ali), statusOf(r, sara)]).toEqual([2, "late", "present"]);
    expect(r.reports.find((row) => row.identity === ali.livekitIdentity)!.policy.graceMinutes).toBe(10);
  });

  test("applying version 2 to the last week recalculates both classes, records the diff the preview showed", async () => {
    const previewed = await post("/policy/preview", { weeks: 1 });
    expect(previewed.status, previewed.text).toBe(200);
    const { preview } = previewed.json as { preview: Record<string, unknown> };
    expect(preview).toMatchObject({ currentVersion: 2, sessions: 2, changedSessions: 1, changedRows: 1 });

    const applied = await post("/policy/applications", { weeks: 1 });
    expect(applied.status, applied.text).toBe(201);
    const { application } = applied.json as {
      application: { id: string; policyVersion: number; changes: Record<string, unknown>; failures: unknown[] };
    };
    expect(application.policyVersion).toBe(2);
    expect(application.failures).toEqual([]);
    const { currentVersion, values, from, to, ...expected } = preview;
    void [currentVersion, values, from, to];
    expect(application.changes).toEqual(expected);

    const r = await report(first);
    expect([r.policyVersion, statusOf(r, ali), statusOf(r, sara)]).toEqual([2, "late", "present"]);
    expect(r.calculations.at(-1)).toMatchObject({
      trigger: "policy",
      policyVersion: 2,
      policyApplicationId: application.id,
      words: "1 row changed: Ali present, 63.3 % → late (12 min late), 63.3 %.",
    });
    expect((await report(second)).calculations.at(-1)).toMatchObject({ trigger: "policy", words: "Nothing changed." });

    const listed = await client.api("GET", "/policy/applications", key);
    expect(listed.status).toBe(200);
    expect((listed.json as { applications: unknown[] }).applications).toEqual([
      expect.objectContaining({
        id: application.id,
        policyVersion: 2,
        by: 'API key "test"',
        sessions: 2,
        changedSessions: 1,
        changedRows: 1,
      }),
    ]);
    const one = await client.api("GET", `/policy/applications/${application.id}`, key);
    expect(one.status).toBe(200);
    expect((one.json as { application: { changes: unknown } }).application.changes).toEqual(expected);
    expect((await client.api("GET", `/policy/applications/${application.id}x`, key)).status).toBe(404);
  });

  test("another academy sees none of it", async () => {
    const other = await seedAcademy(db.prisma, "Other Policy Academy");
    const applications = await client.api("GET", "/policy/applications", other.key);
    expect((applications.json as { applications: unknown[] }).applications).toEqual([]);
    const listed = (await client.api("GET", "/policy/applications", key)).json as { applications: { id: string }[] };
    expect((await client.api("GET", `/policy/applications/${listed.applications[0]!.id}`, other.key)).status).toBe(404);
    const preview = await client.api("POST", "/policy/preview", other.key, { weeks: 52 });
    expect((preview.json as { preview: { sessions: number } }).preview.sessions).toBe(0);
  });

  test("versions, calculations and applications are append-only", async () => {
    for (const [statement, message] of [
      ["UPDATE policy_version SET actor = 'x'", "policy_version is append-only: UPDATE is not allowed"],
      ["DELETE FROM policy_version", "policy_version is append-only: DELETE is not allowed"],
      ["TRUNCATE policy_version CASCADE", "policy_version is append-only: TRUNCATE is not allowed"],
      ["UPDATE calculation SET changes = NULL", "calculation is append-only: UPDATE is not allowed"],
      ["DELETE FROM calculation", "calculation is append-only: DELETE is not allowed"],
      ["TRUNCATE calculation", "calculation is append-only: TRUNCATE is not allowed"],
      ["UPDATE policy_application SET actor = NULL", "policy_application is append-only: UPDATE is not allowed"],
      ["DELETE FROM policy_application", "policy_application is append-only: DELETE is not allowed"],
    ] as const)
      await expect(db.pool.query(statement), statement).rejects.toThrow(message);
    expect(await db.prisma.calculation.count({ where: { sessionId: first } })).toBe(3);
  });
});
