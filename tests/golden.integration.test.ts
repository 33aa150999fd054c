// The golden set (tests/golden/classes.ts) through the real HTTP routes on both databases: each class
// is created with POST /api/v1/sessions, its webhooks are posted signed as LiveKit signs them, the
// calculation is forced with POST /recalculate and awaited, and every report field is compared with
// the values worked out by hand. Nothing here computes an expected value.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  participantConnectionAborted,
  participantJoined,
  participantLeft,
  roomFinished,
  roomStarted,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
  type WebhookPayload,
} from "../lib/simulation/webhook-payloads.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { callApi, postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import {
  DEFAULT_POLICY,
  GOLDEN_DATE,
  goldenCases,
  type Clock,
  type GoldenCase,
  type GoldenEvent,
  type GoldenPolicy,
  type GoldenSession,
} from "./golden/classes.ts";

const CLOCK = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{3}))?)?$/;

/** A clock time on the golden date as an ISO instant: "10:05" → "2026-11-02T10:05:00.000Z". */
function iso(clock: Clock): string {
  const match = CLOCK.exec(clock);
  if (!match) throw new Error(`bad clock time ${clock}`);
  return `${GOLDEN_DATE}T${match[1]}:${match[2]}:${match[3] ?? "00"}.${match[4] ?? "000"}Z`;
}
const ms = (clock: Clock) => Date.parse(iso(clock));

/** Leaves, aborts and room events carry whole-second createdAt; the data must not pretend otherwise. */
function wholeSecond(clock: Clock, what: string): number {
  const value = ms(clock);
  if (value % 1000 !== 0) throw new Error(`${what} at ${clock}: webhook createdAt is whole seconds`);
  return value;
}

/** A small seeded generator, so a shuffled delivery is the same on every run. */
function seededShuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Delivery {
  body: string;
  label: string;
}

/** The class's webhook bodies, in the order (and with the duplicates) the case asks for. */
function webhookBodies(
  golden: GoldenCase,
  caseIndex: number,
  { token, room, prefix }: { token: string; room: string; prefix: string },
): Delivery[] {
  const finishes = golden.events.filter((event) => event.type === "roomFinished").map((event) => ms(event.at));
  const firstStart = Math.min(...golden.sessions.map((session) => ms(session.start)));
  // A new room instance (new sid) after each room_finished, as LiveKit does.
  const roomAt = (at: number): RoomRef => {
    const instance = finishes.filter((finished) => finished < at).length;
    return {
      sid: `RM_${token}_${caseIndex}_${instance}`,
      name: room,
      creationTimeMs: firstStart - 10 * 60_000 + instance * 1000,
    };
  };
  const joins = new Map<string, Extract<GoldenEvent, { type: "join" }>>();
  for (const event of golden.events) if (event.type === "join" && !joins.has(event.sid)) joins.set(event.sid, event);
  const participant = (
    sid: string,
    identity: string,
    joinedAt: Clock | null | undefined,
  ): { ref: ParticipantRef; withoutJoinedAt: boolean } => {
    const join = joins.get(sid);
    const at = joinedAt === undefined ? join?.at : joinedAt;
    return {
      ref: {
        sid: `PA_${token}_${caseIndex}_${sid}`,
        identity: prefix + identity,
        name: identity,
        joinedAtMs: at ? ms(at) : 0,
        ...(join?.kind ? { kind: join.kind as ParticipantRef["kind"] } : {}),
        ...(join?.recorder ? { recorder: true } : {}),
      },
      withoutJoinedAt: !at,
    };
  };
  const dropJoinedAt = (payload: WebhookPayload) => {
    delete payload.participant?.joinedAt;
    delete payload.participant?.joinedAtMs;
    return payload;
  };

  const built = golden.events.map((event, index) => {
    const id = `EV_${token}_${caseIndex}_${index}`;
    let payload: WebhookPayload;
    let time: number;
    switch (event.type) {
      case "join": {
        time = ms(event.at);
        const ref: ParticipantRef = {
          sid: `PA_${token}_${caseIndex}_${event.sid}`,
          identity: prefix + event.identity,
          name: event.identity,
          joinedAtMs: time,
          ...(event.kind ? { kind: event.kind as ParticipantRef["kind"] } : {}),
          ...(event.recorder ? { recorder: true } : {}),
        };
        payload = participantJoined(id, roomAt(time), ref, time);
        break;
      }
      case "leave": {
        time = wholeSecond(event.at, "leave");
        const { ref, withoutJoinedAt } = participant(event.sid, event.identity, event.joinedAt);
        payload = participantLeft(id, roomAt(time), ref, time, event.reason);
        if (withoutJoinedAt) dropJoinedAt(payload);
        break;
      }
      case "aborted": {
        time = wholeSecond(event.at, "aborted");
        const { ref, withoutJoinedAt } = participant(event.sid, event.identity, event.joinedAt);
        payload = participantConnectionAborted(id, roomAt(time), ref, time);
        if (withoutJoinedAt) dropJoinedAt(payload);
        break;
      }
      case "roomStarted":
        time = wholeSecond(event.at, "room_started");
        payload = roomStarted(id, roomAt(time), time);
        break;
      case "roomFinished":
        time = wholeSecond(event.at, "room_finished");
        payload = roomFinished(id, roomAt(time), time);
        break;
    }
    const who = "identity" in event ? ` ${event.identity}/${event.sid}` : "";
    return {
      time,
      index,
      type: event.type,
      delivery: { body: toWebhookBody(payload), label: `${payload.event}${who} @${event.at}` },
    };
  });

  const order = golden.delivery?.order ?? "time";
  let ordered = [...built].sort((a, b) => a.time - b.time || a.index - b.index);
  if (order === "reverse") ordered = ordered.reverse();
  const duplicate = golden.delivery?.duplicate;
  const extra =
    duplicate === "all"
      ? ordered
      : duplicate === "roomFinished"
        ? ordered.filter((entry) => entry.type === "roomFinished")
        : [];
  // Duplicates are redelivered after everything else (a retry), or shuffled in with the rest.
  const deliveries =
    order === "shuffle" ? seededShuffle([...ordered, ...extra], caseIndex + 1) : [...ordered, ...extra];
  return deliveries.map((entry) => entry.delivery);
}

interface ReportRow {
  identity: string;
  role: string;
  status: string;
  attendedSeconds: number;
  sessionSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
  firstJoinAt: string | null;
  lastLeaveAt: string | null;
  policy: Record<string, number>;
}

interface ReportBody {
  isCalculated: boolean;
  calculatedAt: string | null;
  reports: ReportRow[];
  guests: ReportRow[];
}

const POLL_MS = 100;
const CALCULATION_DEADLINE_MS = 30_000;

describe.each(backends())("golden set on $name", (backend) => {
  let db: BackendDb;
  const token = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const academyKeys = new Map<string, Promise<string>>();

  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  /** One academy per policy: the default one as seeded, others set with PUT /api/v1/policy. */
  function academyKey(policy: GoldenPolicy | undefined): Promise<string> {
    const wanted = policy ?? DEFAULT_POLICY;
    const cacheKey = JSON.stringify(wanted);
    let key = academyKeys.get(cacheKey);
    if (!key) {
      key = (async () => {
        const { key: apiKey } = await seedAcademy(db.prisma, `Golden ${cacheKey}`);
        if (policy) {
          const updated = await callApi(backend.baseUrl, apiKey, "PUT", "/policy", { defaults: policy });
          expect(updated.status, `PUT /policy ${JSON.stringify(updated.json)}`).toBe(200);
        }
        const current = await callApi<{ policy: { defaults: GoldenPolicy } }>(
          backend.baseUrl,
          apiKey,
          "GET",
          "/policy",
        );
        expect(current.json.policy.defaults).toEqual(wanted);
        return apiKey;
      })();
      academyKeys.set(cacheKey, key);
    }
    return key;
  }

  /** Forces the calculation and waits (polling, with a deadline) until the report is at least as new as the request. */
  async function recalculatedReport(key: string, sessionId: string, label: string): Promise<ReportBody> {
    const requested = await callApi<{ requestedAt: string }>(
      backend.baseUrl,
      key,
      "POST",
      `/sessions/${sessionId}/recalculate`,
    );
    expect(requested.status, `${label}: POST /recalculate answered ${JSON.stringify(requested.json)}`).toBe(202);
    const requestedAt = Date.parse(requested.json.requestedAt);
    const deadline = Date.now() + CALCULATION_DEADLINE_MS;
    for (;;) {
      const report = await callApi<ReportBody>(backend.baseUrl, key, "GET", `/sessions/${sessionId}/report`);
      expect(report.status, `${label}: GET /report answered ${JSON.stringify(report.json)}`).toBe(200);
      const calculatedAt = report.json.calculatedAt ? Date.parse(report.json.calculatedAt) : null;
      if (calculatedAt !== null && calculatedAt >= requestedAt) return report.json;
      if (Date.now() > deadline) {
        throw new Error(
          `${label}: not recalculated within ${CALCULATION_DEADLINE_MS} ms (requestedAt ${requested.json.requestedAt}, calculatedAt ${report.json.calculatedAt})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  function compare(golden: GoldenCase, session: GoldenSession, report: ReportBody, prefix: string) {
    const where = `${golden.name} [${session.label}]`;
    const unprefixed = (identity: string) =>
      identity.startsWith(prefix) ? identity.slice(prefix.length) : `(foreign) ${identity}`;
    const rows = new Map(report.reports.map((row) => [unprefixed(row.identity), row]));
    expect
      .soft([...rows.keys()].sort(), `${where}: the report's roster people`)
      .toEqual(Object.keys(session.people).sort());
    const policy = golden.policy ?? DEFAULT_POLICY;
    for (const [identity, wanted] of Object.entries(session.people)) {
      const row = rows.get(identity);
      if (!row) continue;
      const who = `${where} ${identity}`;
      expect.soft(row.role, `${who}: role`).toBe(wanted.role);
      expect.soft(row.status, `${who}: status`).toBe(wanted.status);
      expect.soft(row.attendedSeconds, `${who}: attendedSeconds`).toBe(wanted.attendedSeconds);
      expect.soft(row.sessionSeconds, `${who}: sessionSeconds`).toBe(session.sessionSeconds);
      expect.soft(row.percentage, `${who}: percentage`).toBe(wanted.percentage);
      expect.soft(row.isLate, `${who}: isLate`).toBe(wanted.isLate);
      expect.soft(row.lateMinutes, `${who}: lateMinutes`).toBe(wanted.lateMinutes);
      expect
        .soft(row.firstJoinAt, `${who}: firstJoinAt`)
        .toBe(wanted.firstJoinAt === null ? null : iso(wanted.firstJoinAt));
      expect
        .soft(row.lastLeaveAt, `${who}: lastLeaveAt`)
        .toBe(wanted.lastLeaveAt === null ? null : iso(wanted.lastLeaveAt));
      expect.soft(row.policy, `${who}: policy`).toMatchObject(policy);
    }
    const guests = new Map(report.guests.map((row) => [unprefixed(row.identity), row]));
    expect
      .soft([...guests.keys()].sort(), `${where}: guests`)
      .toEqual(session.guests.map((guest) => guest.identity).sort());
    for (const wanted of session.guests) {
      const row = guests.get(wanted.identity);
      if (!row) continue;
      const who = `${where} guest ${wanted.identity}`;
      expect.soft(row.role, `${who}: role`).toBe("guest");
      expect.soft(row.attendedSeconds, `${who}: attendedSeconds`).toBe(wanted.attendedSeconds);
      expect.soft(row.status, `${who}: status`).toBe(wanted.status);
    }
  }

  goldenCases.forEach((golden, caseIndex) => {
    test(golden.name, { timeout: 120_000 }, async () => {
      const key = await academyKey(golden.policy);
      const room = uniqueName(`golden-${caseIndex}`);
      const prefix = `${token}-${caseIndex}-`;

      const createSessions = async (roomName: string) => {
        const ids: string[] = [];
        for (const session of golden.sessions) {
          const identities = Object.entries(session.people);
          const teachers = identities.filter(([, person]) => person.role === "teacher");
          if (teachers.length !== 1) throw new Error(`${golden.name}: a session needs exactly one teacher`);
          const toPerson = (identity: string) => ({
            externalId: prefix + identity,
            name: identity,
            livekitIdentity: prefix + identity,
          });
          const created = await callApi<{ session: { id: string } }>(backend.baseUrl, key, "POST", "/sessions", {
            type: "academic",
            title: `${golden.name} [${session.label}]`.slice(0, 200),
            roomName,
            scheduledStart: iso(session.start),
            scheduledEnd: iso(session.end),
            teacher: toPerson(teachers[0]![0]),
            students: identities
              .filter(([, person]) => person.role === "student")
              .map(([identity]) => toPerson(identity)),
          });
          expect(
            created.status,
            `${golden.name} [${session.label}]: POST /sessions answered ${JSON.stringify(created.json)}`,
          ).toBe(201);
          ids.push(created.json.session.id);
        }
        return ids;
      };

      let sessionIds: string[] = [];
      if (!golden.createSessionAfterWebhooks)
        sessionIds = await createSessions(golden.renameRoomAfter ? uniqueName(`golden-old-${caseIndex}`) : room);

      for (const { body, label } of webhookBodies(golden, caseIndex, { token, room, prefix })) {
        const posted = await postWebhook(backend.baseUrl, body);
        expect(posted.status, `${golden.name}: webhook ${label} answered ${JSON.stringify(posted.json)}`).toBe(200);
      }

      if (golden.createSessionAfterWebhooks) sessionIds = await createSessions(room);
      if (golden.renameRoomAfter) {
        for (const sessionId of sessionIds) {
          const renamed = await callApi(backend.baseUrl, key, "PATCH", `/sessions/${sessionId}`, { roomName: room });
          expect(renamed.status, `${golden.name}: PATCH roomName answered ${JSON.stringify(renamed.json)}`).toBe(200);
        }
      }

      for (const [index, session] of golden.sessions.entries()) {
        const report = await recalculatedReport(key, sessionIds[index]!, `${golden.name} [${session.label}]`);
        compare(golden, session, report, prefix);
      }
    });
  });
});
