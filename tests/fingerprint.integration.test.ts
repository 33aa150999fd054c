// A session's report fingerprint (lib/attendance/fingerprint.ts), over real HTTP on both databases:
// calculating writes it with the reports; the API's report and the CSV show it; recalculating the
// same log gives the same one, and a webhook arriving after the calculation gives another once the
// class is recalculated. What the fingerprint covers, and its canonical text, are checked in
// lib/calculation/report-fingerprint.test.ts; here only that the stored, shown and exported ones agree.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { verifyReports } from "../lib/calculation/verify-reports.ts";
import { participantJoined, participantLeft, toWebhookBody, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { parseCsvRows } from "../e2e/support/browser.ts";
import { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const start = Math.floor(Date.now() / MIN) * MIN - 3 * 60 * MIN;
const end = start + 60 * MIN;

describe.each(backends())("the report's fingerprint on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key: string;
  let sessionId = "";
  let room: RoomRef;
  const student = { externalId: uniqueName("fp-s"), name: "Maryam", livekitIdentity: uniqueName("lk-fp-s") };
  const teacher = { externalId: uniqueName("fp-t"), name: "Ustadh Idris", livekitIdentity: uniqueName("lk-fp-t") };
  const ref = (who: typeof student, at: number, device = "1") => ({
    sid: `PA_${who.livekitIdentity}_${device}`,
    identity: who.livekitIdentity,
    name: who.name,
    joinedAtMs: at,
  });

  const calculate = async () =>
    expect(
      await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" }),
    ).toMatchObject({ sessions: 1, failures: [] });
  const report = async () => {
    const answer = await client.api("GET", `/sessions/${sessionId}/report`, key);
    expect(answer.status, answer.text).toBe(200);
    return answer.json as { fingerprint: string | null; isCalculated: boolean };
  };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    key = (await seedAcademy(db.prisma, "Fingerprint Academy")).key;
    const roomName = uniqueName("room-fp");
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title: "Fingerprinted",
      roomName,
      scheduledStart: iso(start),
      scheduledEnd: iso(end),
      teacher,
      students: [student],
    });
    expect(created.status, created.text).toBe(201);
    sessionId = (created.json as { session: { id: string } }).session.id;
    room = { sid: uniqueName("RM"), name: roomName, creationTimeMs: start - 5 * MIN };
    for (const payload of [
      participantJoined(uniqueName("EV_t"), room, ref(teacher, start), start),
      participantJoined(uniqueName("EV_s"), room, ref(student, start + 5 * MIN), start + 5 * MIN),
      participantLeft(uniqueName("EV_s"), room, ref(student, start + 5 * MIN), start + 40 * MIN, "CLIENT_INITIATED"),
    ])
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
  }, 180_000);
  afterAll(() => db.close());

  test("none before a calculation; the API and the CSV show the one written with the reports", async () => {
    expect((await report()).fingerprint).toBeNull();
    await calculate();
    const { fingerprint, isCalculated } = await report();
    expect(isCalculated).toBe(true);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stored.reportFingerprint).toBe(fingerprint);

    const csv = await client.api("GET", `/sessions/${sessionId}/report.csv`, key);
    expect(csv.status).toBe(200);
    const rows = parseCsvRows(csv.text.replace(/^\uFEFF/, ""));
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row.report_fingerprint).toBe(fingerprint);
  });

  test("the same log gives the same fingerprint; a webhook after the calculation another, once recalculated", async () => {
    const before = (await report()).fingerprint;
    await calculate();
    expect((await report()).fingerprint).toBe(before);

    const late = participantJoined(uniqueName("EV_s"), room, ref(student, start + 50 * MIN, "2"), start + 50 * MIN);
    expect((await postWebhook(backend.baseUrl, toWebhookBody(late))).status).toBe(200);
    // Marked uncalculated, the stored fingerprint is still the one behind the stored reports.
    const stale = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stale).toMatchObject({ isCalculated: false, reportFingerprint: before });

    await calculate();
    const after = (await report()).fingerprint;
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  test("verify: an excused student taken off the roster keeps the report every recalculation keeps; no difference", async () => {
    const bilal = { externalId: uniqueName("fp-b"), name: "Bilal", livekitIdentity: uniqueName("lk-fp-b") };
    const patched = await client.api("PATCH", `/sessions/${sessionId}`, key, { students: [student, bilal] });
    expect(patched.status, patched.text).toBe(200);
    await calculate();
    const excused = await client.api(
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(bilal.livekitIdentity)}/override`,
      key,
      { status: "excused", note: "travelling" },
    );
    expect(excused.status, excused.text).toBe(200);
    expect((await client.api("PATCH", `/sessions/${sessionId}`, key, { students: [student] })).status).toBe(200);
    await calculate();
    // Bilal never joined: off the roster, the log gives no row for him, but his excused report stays.
    const kept = await db.prisma.attendanceReport.findUniqueOrThrow({
      where: { sessionId_identity: { sessionId, identity: bilal.livekitIdentity } },
    });
    expect([kept.status, kept.overrideStatus]).toEqual(["absent", "excused"]);
    const verified = await verifyReports({ pool: db.pool, sessionIds: [sessionId], now: new Date() });
    expect(verified).toEqual({ verified: 1, skipped: 0, differences: [] });
  });
});
