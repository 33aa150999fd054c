// Tenancy keyed by the LiveKit credential (DESIGN.md, "Tenancy and matching webhooks to sessions";
// ATTENDANCE_RULES.md section 1), tried the way an attacker and a careless operator would: academies
// A and B each on a LiveKit key of their own (registered through the admin route), C and D on the
// server-wide key. Every expected value below is worked out by hand from the rules: a class of 60
// minutes, the default policy (grace 15 min, absent below 10 %, partial at or below 50 %, present
// above 75 %), joins and leaves on whole minutes. Whatever B does, no answer B gets may carry A's
// names, people or events (the markers), and the other way round; no answer may carry a secret.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { signWebhook } from "../lib/livekit/sign-webhook.ts";
import {
  participantJoined,
  participantLeft,
  roomFinished,
  roomStarted,
  toWebhookBody,
} from "../lib/simulation/webhook-payloads.ts";
import { Client, secretsIn, snapshotAcademy, type Answer } from "./support/access.ts";
import { backends, connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { handMadeJwt, webhookClaims } from "./support/hostile-inputs.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const KEYS_ROUTE = "/api/dashboard/livekit-keys";

interface Signer {
  apiKey: string;
  apiSecret: string;
}

interface Academy {
  label: "A" | "B" | "C" | "D" | "E";
  id: string;
  name: string;
  /** The academy's /api/v1 key. */
  key: string;
  /** Everything this academy's people were ever answered (API and dashboard). */
  client: Client;
  adminCookie: string;
  /** Text only this academy may ever be shown: its name, titles, session ids, people and their identities. */
  markers: string[];
}

interface Person {
  externalId: string;
  name: string;
  livekitIdentity: string;
}

interface ReportRow {
  identity: string;
  role: string;
  status: string;
  attendedSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
}
interface ReportBody {
  isCalculated: boolean;
  calculatedAt: string | null;
  counts: Record<string, number>;
  reports: ReportRow[];
  guests: ReportRow[];
}
interface PresenceBody {
  presence: { inRoom: { identity: string }[]; left: { identity: string }[]; notJoined: { identity: string }[] };
}
interface SessionBody {
  session: { id: string; status: string; windowEnd: string; scheduledEnd: string; endedEarly: boolean };
}
interface WebhookAnswer {
  status: number;
  json: { ok: boolean; result?: string; error?: { code: string; message: string } };
}

/** One line per person: role, status, seconds, percentage, lateness. */
const summary = (report: ReportBody) =>
  Object.fromEntries(
    [...report.reports, ...report.guests].map((row) => [
      row.identity,
      `${row.role} ${row.status} ${row.attendedSeconds}s ${row.percentage}% ${row.isLate ? `late ${row.lateMinutes}` : "on time"}`,
    ]),
  );

/** The structure of a JSON value with its leaves replaced by their types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shape(item)]));
  return value === null ? "null" : typeof value;
}

/** A page's visible text: tags and React's text separators removed, whitespace collapsed. */
const pageText = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

const newSecret = () => randomBytes(32).toString("base64url");

describe.each(backends())("tenancy on $name", (backend) => {
  const tag = randomBytes(3).toString("hex");
  const origin = backend.baseUrl;
  const server: Signer = livekitCredentials();
  let db: BackendDb;
  let A: Academy, B: Academy, C: Academy, D: Academy;
  /** The key each academy's LiveKit signs with now (A's changes in the rotation test); A's first key. */
  let signerA: Signer;
  let signerB: Signer;
  let firstKeyA: Signer;
  /** A teacher of A's, for the admin-only checks. */
  let teacherA: { cookie: string };
  /** Every LiveKit secret in play, none of which may appear in an answer (but B's generate answer) or the logs. */
  const secrets: string[] = [server.apiSecret];
  /** The answer that showed B's generated secret, kept out of every sweep. */
  let generateAnswer: {
    status: number;
    json: { livekitKey: { apiKey: string; action: string; movedSessions: number; apiSecret: string } };
  };
  /** A's classes from before A had a key of its own (test 6). */
  const early = {} as {
    old: {
      id: string;
      room: string;
      start: number;
      teacher: Person;
      present: Person;
      late: Person;
      own: Person;
      report: Record<string, string>;
      rows: string[];
    };
    patch: { id: string; room: string; start: number; teacher: Person; shared: Person; own: Person };
    upcoming: { id: string; room: string; start: number; own: Person; shared: string };
  };

  let eventCounter = 0;
  let sidCounter = 0;
  const eventId = () => `EV_${tag}_${++eventCounter}`;
  const roomRef = (name: string, at: number) => ({
    sid: `RM_${createHash("sha1").update(name).digest("hex").slice(0, 12)}`,
    name,
    creationTimeMs: at - 5 * MIN,
  });

  const deliver = async (body: string, by: Signer): Promise<WebhookAnswer> =>
    postWebhook(backend.baseUrl, body, { authorization: await signWebhook(body, by.apiKey, by.apiSecret) });
  const storedCount = async (id: string) =>
    (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_event WHERE id = $1", [id])).rows[0]!.n;

  /** A person's visit to a room as LiveKit reports it: a join, then a leave unless `to` is null; each answered as `expected`. */
  async function visit(
    by: Signer,
    room: string,
    identity: string,
    from: number,
    to: number | null,
    expected: "stored" | "ignored",
  ) {
    const participant = { sid: `PA_${tag}_${++sidCounter}`, identity, name: identity, joinedAtMs: from };
    const bodies = [toWebhookBody(participantJoined(eventId(), roomRef(room, from), participant, from))];
    if (to !== null)
      bodies.push(toWebhookBody(participantLeft(eventId(), roomRef(room, from), participant, to, "CLIENT_INITIATED")));
    for (const body of bodies) {
      const answer = await deliver(body, by);
      expect([answer.status, answer.json.result], `${identity} in ${room}`).toEqual([200, expected]);
    }
  }

  const person = (owner: Academy, label: string): Person => {
    const identity = `${owner.label.toLowerCase()}-${label}-${tag}`;
    const name = `N${owner.label}${label}${tag}`;
    owner.markers.push(identity, name);
    return { externalId: `x-${identity}`, name, livekitIdentity: identity };
  };
  const title = (owner: Academy, label: string) => {
    const text = `T${owner.label}${label}${tag}`;
    owner.markers.push(text);
    return text;
  };

  function classInput(
    owner: Academy,
    {
      label,
      room,
      start,
      teacher,
      students,
    }: { label: string; room: string; start: number; teacher?: Person; students: Person[] },
  ) {
    return {
      type: "academic",
      title: title(owner, label),
      roomName: room,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(start + HOUR).toISOString(),
      teacher: teacher ?? person(owner, `${label}t`),
      students,
    };
  }
  async function createClass(owner: Academy, input: ReturnType<typeof classInput>): Promise<string> {
    const created = await owner.client.api("POST", "/sessions", owner.key, input);
    expect(created.status, `${owner.label} creates ${input.roomName}: ${created.text.slice(0, 300)}`).toBe(201);
    const id = (created.json as SessionBody).session.id;
    owner.markers.push(id);
    return id;
  }

  /** Asks for a recalculation as the school's system does (202) and waits for the report it promised. */
  async function recalculated(owner: Academy, sessionId: string): Promise<ReportBody> {
    const requested = await owner.client.api("POST", `/sessions/${sessionId}/recalculate`, owner.key);
    expect(requested.status, requested.text).toBe(202);
    const { requestedAt } = requested.json as { requestedAt: string };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const report = await owner.client.api("GET", `/sessions/${sessionId}/report`, owner.key);
      const body = report.json as ReportBody;
      if (body.isCalculated && body.calculatedAt && body.calculatedAt >= requestedAt) return body;
      if (Date.now() > deadline)
        throw new Error(
          `${owner.label}'s session ${sessionId} was not recalculated within 60 s: ${report.text.slice(0, 300)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Who the session's presence shows (in the room or left), sorted. */
  async function presenceOf(owner: Academy, sessionId: string, via: "api" | "dashboard" = "api"): Promise<string[]> {
    const answer =
      via === "api"
        ? await owner.client.api("GET", `/sessions/${sessionId}/presence`, owner.key)
        : await owner.client.request(`/api/dashboard/sessions/${sessionId}/presence`, { cookie: owner.adminCookie });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const { presence } = answer.json as PresenceBody;
    return [...presence.inRoom, ...presence.left].map((entry) => entry.identity).sort();
  }

  const eventLog = async (owner: Academy, query = "") => {
    const answer = await owner.client.request(`/admin/events${query ? `?${query}` : ""}`, {
      cookie: owner.adminCookie,
    });
    expect(answer.status).toBe(200);
    return answer.text;
  };
  const csvOf = async (owner: Academy, sessionId: string) => {
    const answer = await owner.client.api("GET", `/sessions/${sessionId}/report.csv`, owner.key);
    expect(answer.status).toBe(200);
    return answer.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
  };

  const expectNone = (text: string, markers: string[], what: string) =>
    expect(
      markers.filter((marker) => text.includes(marker)),
      what,
    ).toEqual([]);

  const registerKey = (owner: Academy, body: unknown, extra: { cookie?: string; origin?: string | null } = {}) =>
    owner.client.request(KEYS_ROUTE, {
      method: "POST",
      cookie: extra.cookie ?? owner.adminCookie,
      origin: extra.origin === undefined ? origin : extra.origin,
      body,
    });
  const retireKey = (owner: Academy, apiKey: string, extra: { cookie?: string; origin?: string | null } = {}) =>
    owner.client.request(`${KEYS_ROUTE}/${encodeURIComponent(apiKey)}`, {
      method: "DELETE",
      cookie: extra.cookie ?? owner.adminCookie,
      origin: extra.origin === undefined ? origin : extra.origin,
    });
  /** What an attacker could change about an academy (tests/support/access.ts), but when its API key was last used. */
  const snapshot = async (owner: Academy) => {
    const taken = await snapshotAcademy(db.pool, owner.id);
    taken.apiKeys = taken.apiKeys!.map((row) => JSON.stringify({ ...JSON.parse(row), last_used_at: null }));
    return taken;
  };
  const credentialRows = async () =>
    (
      await db.pool.query<{ row: string }>(
        "SELECT row_to_json(t)::text AS row FROM livekit_credential t ORDER BY api_key, academy_id",
      )
    ).rows.map((row) => row.row);

  async function makeAcademy(label: Academy["label"]): Promise<Academy> {
    const name = `Academy ${label} ${tag}`;
    const seeded = await seedAcademy(db.prisma, name);
    const client = new Client(backend.baseUrl);
    const email = `${uniqueName(`admin-${label}`)}@example.org`;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, {
      academyId: seeded.academy.id,
      role: "admin",
      email,
      name: `Admin ${label} ${tag}`,
      password,
    });
    const signedIn = await client.signIn(email, password);
    expect(signedIn.status).toBe(200);
    return {
      label,
      id: seeded.academy.id,
      name,
      key: seeded.key,
      client,
      adminCookie: signedIn.cookie,
      markers: [name, seeded.academy.id, `Admin ${label} ${tag}`],
    };
  }

  beforeAll(async () => {
    db = connectBackend(backend);
    [A, B, C, D] = [await makeAcademy("A"), await makeAcademy("B"), await makeAcademy("C"), await makeAcademy("D")];
    const teacherEmail = `${uniqueName("teacher-A")}@example.org`;
    const teacherPassword = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, {
      academyId: A.id,
      role: "teacher",
      email: teacherEmail,
      name: `Teacher A ${tag}`,
      password: teacherPassword,
      externalId: uniqueName("ta"),
    });
    const teacherSignIn = await A.client.signIn(teacherEmail, teacherPassword);
    expect(teacherSignIn.status).toBe(200);
    teacherA = { cookie: teacherSignIn.cookie };

    // A's classes from before it had a key of its own, their webhooks signed with the server's key.
    const now = Math.floor(Date.now() / MIN) * MIN;
    const past = now - 3 * HOUR;
    const tomorrow = now + 24 * HOUR;
    const old = {
      room: uniqueName("a-old"),
      start: past,
      teacher: person(A, "oldt"),
      present: person(A, "oldpresent"),
      late: person(A, "oldlate"),
      own: person(A, "oldown"),
    };
    const oldId = await createClass(
      A,
      classInput(A, {
        label: "old",
        room: old.room,
        start: past,
        teacher: old.teacher,
        students: [old.present, old.late, old.own],
      }),
    );
    await visit(server, old.room, old.teacher.livekitIdentity, past - 2 * MIN, past + HOUR, "stored");
    await visit(server, old.room, old.present.livekitIdentity, past - MIN, past + HOUR, "stored");
    await visit(server, old.room, old.late.livekitIdentity, past + 20 * MIN, past + 50 * MIN, "stored");
    const oldReport = summary(await recalculated(A, oldId));
    // Teacher and the first student all hour; the second from minute 20 to 50 (30 of 60 min: partial, 20 min late).
    expect(oldReport).toEqual({
      [old.teacher.livekitIdentity]: "teacher present 3600s 100% on time",
      [old.present.livekitIdentity]: "student present 3600s 100% on time",
      [old.late.livekitIdentity]: "student partial 1800s 50% late 20",
      [old.own.livekitIdentity]: "student absent 0s 0% on time",
    });
    const oldRows = await reportRows(oldId);

    const patch = {
      room: uniqueName("a-patch"),
      start: past,
      teacher: person(A, "patcht"),
      shared: person(A, "patchshared"),
      own: person(A, "patchown"),
    };
    const patchId = await createClass(
      A,
      classInput(A, {
        label: "patch",
        room: patch.room,
        start: past,
        teacher: patch.teacher,
        students: [patch.shared, patch.own],
      }),
    );
    await visit(server, patch.room, patch.shared.livekitIdentity, past - MIN, past + HOUR, "stored");

    const upcoming = {
      room: uniqueName("a-up"),
      start: tomorrow,
      own: person(A, "upown"),
      shared: `a-upshared-${tag}`,
    };
    A.markers.push(upcoming.shared);
    const upcomingId = await createClass(
      A,
      classInput(A, { label: "up", room: upcoming.room, start: tomorrow, students: [upcoming.own] }),
    );
    // Preparation-time webhook of the class, sent while A was on the server's key: the class has it for now.
    await visit(server, upcoming.room, upcoming.shared, tomorrow - 5 * MIN, null, "stored");

    // A registers its own key. Of its three classes only tomorrow's has not started: it alone moves.
    firstKeyA = { apiKey: `APIa1${tag}${randomBytes(4).toString("hex")}`, apiSecret: newSecret() };
    secrets.push(firstKeyA.apiSecret);
    const registered = await registerKey(A, firstKeyA);
    expect([registered.status, registered.json]).toEqual([
      201,
      { livekitKey: { apiKey: firstKeyA.apiKey, action: "set", movedSessions: 1 } },
    ]);
    signerA = firstKeyA;
    early.old = { id: oldId, ...old, report: oldReport, rows: oldRows };
    early.patch = { id: patchId, ...patch };
    early.upcoming = { id: upcomingId, ...upcoming };

    // B lets Rollcall make its pair (a self-hosted LiveKit); the secret is in that one answer only.
    const generated = await new Client(backend.baseUrl).request(KEYS_ROUTE, {
      method: "POST",
      cookie: B.adminCookie,
      origin,
      body: { generate: true },
    });
    generateAnswer = generated as unknown as typeof generateAnswer;
    expect(generated.status).toBe(201);
    expect(generated.headers.get("cache-control")).toBe("no-store");
    const { livekitKey } = generateAnswer.json;
    expect(livekitKey).toEqual({
      apiKey: expect.stringMatching(/^API[A-Za-z0-9]{12}$/),
      action: "set",
      movedSessions: 0,
      apiSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    signerB = { apiKey: livekitKey.apiKey, apiSecret: livekitKey.apiSecret };
    secrets.push(signerB.apiSecret);
  }, 180_000);
  afterAll(() => db.close());

  async function reportRows(sessionId: string): Promise<string[]> {
    // Everything but when it was calculated.
    const { rows } = await db.pool.query<{ row: string }>(
      `SELECT (to_jsonb(t) - 'calculated_at' - 'updated_at' - 'created_at' - 'id')::text AS row FROM attendance_report t WHERE session_id = $1 ORDER BY identity`,
      [sessionId],
    );
    return rows.map((row) => row.row);
  }

  test("1. room squatting: B books A's room at A's class time (201), and sees nothing of A's class anywhere", async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 3 * HOUR;
    const room = uniqueName("a-squat");
    const [at, as1, as2, as3] = [person(A, "sqt"), person(A, "sqs1"), person(A, "sqs2"), person(A, "sqs3")];
    const aId = await createClass(
      A,
      classInput(A, { label: "squat", room, start, teacher: at, students: [as1, as2, as3] }),
    );
    const [bt, bs] = [person(B, "sqt"), person(B, "sqs")];
    const bInput = classInput(B, { label: "squat", room, start, teacher: bt, students: [bs] });
    const bCreated = await B.client.api("POST", "/sessions", B.key, bInput);
    expect(bCreated.status, bCreated.text).toBe(201);
    const bId = (bCreated.json as SessionBody).session.id;
    B.markers.push(bId);

    // A's class as A's LiveKit reports it; one student of B's, on B's LiveKit, in the room of the same name.
    await visit(signerA, room, at.livekitIdentity, start - 2 * MIN, start + HOUR, "stored");
    await visit(signerA, room, as1.livekitIdentity, start - MIN, start + HOUR, "stored");
    await visit(signerA, room, as2.livekitIdentity, start + 20 * MIN, start + 50 * MIN, "stored");
    await visit(signerB, room, bs.livekitIdentity, start + 5 * MIN, start + HOUR, "stored");

    // Presence, by API key and on the dashboard.
    expect(await presenceOf(A, aId)).toEqual([as1, as2, at].map((p) => p.livekitIdentity).sort());
    expect(await presenceOf(A, aId, "dashboard")).toEqual([as1, as2, at].map((p) => p.livekitIdentity).sort());
    expect(await presenceOf(B, bId)).toEqual([bs.livekitIdentity]);
    expect(await presenceOf(B, bId, "dashboard")).toEqual([bs.livekitIdentity]);

    // Reports after a recalculation: A's class as A's students attended it; B's as B's student did.
    expect(summary(await recalculated(A, aId))).toEqual({
      [at.livekitIdentity]: "teacher present 3600s 100% on time",
      [as1.livekitIdentity]: "student present 3600s 100% on time",
      [as2.livekitIdentity]: "student partial 1800s 50% late 20",
      [as3.livekitIdentity]: "student absent 0s 0% on time",
    });
    const bReport = await recalculated(B, bId);
    // B's student from minute 5 to the end: 55 of 60 min, 91.7 %; B's teacher never came.
    expect(summary(bReport)).toEqual({
      [bt.livekitIdentity]: "teacher absent 0s 0% on time",
      [bs.livekitIdentity]: "student present 3300s 91.7% on time",
    });
    expect(bReport.counts).toEqual({ present: 1, late: 0, partial: 0, absent: 0, excused: 0 });
    const bReportDashboard = await B.client.request(`/api/dashboard/sessions/${bId}/report`, { cookie: B.adminCookie });
    expect(bReportDashboard.status).toBe(200);
    expect(summary(bReportDashboard.json as ReportBody)).toEqual(summary(bReport));

    // The CSVs: a header and one line per person each school has.
    const aCsv = await csvOf(A, aId);
    expect(aCsv).toHaveLength(5);
    for (const p of [at, as1, as2, as3])
      expect(
        aCsv.filter((line) => line.includes(p.livekitIdentity)),
        p.livekitIdentity,
      ).toHaveLength(1);
    const bCsv = await csvOf(B, bId);
    expect(bCsv).toHaveLength(3);
    expect(bCsv.filter((line) => line.includes(bs.livekitIdentity))).toHaveLength(1);
    const dashboardCsv = await B.client.request(`/api/dashboard/sessions/${bId}/report.csv`, { cookie: B.adminCookie });
    expect(dashboardCsv.status).toBe(200);
    const day = `from=${new Date(start - HOUR).toISOString()}&to=${new Date(start + 3 * HOUR).toISOString()}`;
    const bRange = await B.client.api("GET", `/reports.csv?${day}`, B.key);
    expect(bRange.status).toBe(200);
    expect(bRange.text.split("\r\n").filter((line) => line.startsWith(bId))).toHaveLength(2);

    // The event logs: each school sees its own webhooks for the room, B even when it filters for A's things.
    const aLog = await eventLog(A, `room=${encodeURIComponent(room)}`);
    for (const p of [at, as1, as2])
      expect(aLog, `A's event log shows ${p.livekitIdentity}`).toContain(p.livekitIdentity);
    expect(aLog).not.toContain(bs.livekitIdentity);
    expect(await eventLog(B)).toContain(bs.livekitIdentity);
    expect(await eventLog(B, `room=${encodeURIComponent(room)}`)).toContain(bs.livekitIdentity);
    // B guesses A's class id and student identity into the filters (answers kept apart, since B typed them).
    for (const query of [
      `session=${aId}`,
      `identity=${encodeURIComponent(as1.livekitIdentity)}`,
      `identity=${encodeURIComponent(as1.livekitIdentity)}&unknownRooms=1`,
    ]) {
      const probe = await new Client(backend.baseUrl).request(`/admin/events?${query}`, { cookie: B.adminCookie });
      expect(probe.status).toBe(200);
      expect(pageText(probe.text), query).toContain("No webhooks with ");
      expectNone(
        probe.text,
        A.markers.filter((marker) => !decodeURIComponent(query).includes(marker)),
        `B's event log filtered by ${query}`,
      );
    }

    // The sessions lists: B's class with B's counts (1 present of 1 student).
    const bList = await B.client.api("GET", "/sessions?limit=200", B.key);
    expect(bList.status).toBe(200);
    const listed = (bList.json as { sessions: { id: string; status: string }[] }).sessions;
    expect(listed.find((session) => session.id === bId)?.status).toBe("calculated");
    expect(listed.map((session) => session.id)).not.toContain(aId);
    const bPage = pageText((await B.client.request("/sessions?view=ended", { cookie: B.adminCookie })).text);
    expect(bPage).toContain(`${bInput.title}`);
    expect(
      bPage
        .slice(bPage.indexOf(bInput.title))
        .match(/students: \d+ present · \d+ late · \d+ partial · \d+ absent/)?.[0],
    ).toBe("students: 1 present · 0 late · 0 partial · 0 absent");
    const aPage = pageText((await A.client.request("/sessions?view=ended", { cookie: A.adminCookie })).text);
    expect(
      aPage
        .slice(aPage.indexOf(`TAsquat${tag}`))
        .match(/students: \d+ present · \d+ late · \d+ partial · \d+ absent/)?.[0],
    ).toBe("students: 1 present · 0 late · 1 partial · 1 absent");

    const aOnly = A.markers;
    for (const answer of B.client.received) expectNone(answer, aOnly, `an answer to B: ${answer.split("\n")[0]}`);
  });

  /** A session's live stream (server-sent events), read as it arrives. */
  async function openLive(owner: Academy, sessionId: string) {
    const controller = new AbortController();
    const response = await fetch(`${backend.baseUrl}/api/dashboard/sessions/${sessionId}/live`, {
      headers: { cookie: owner.adminCookie },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let wake: () => void = () => {};
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
          wake();
        }
      } catch {
        // aborted by close()
      }
    })();
    return {
      text: () => text,
      /** Resolves once the stream holds `needle`, false if it has not within `ms`. */
      async has(needle: string, ms = 30_000): Promise<boolean> {
        const deadline = Date.now() + ms;
        while (!text.includes(needle)) {
          const left = deadline - Date.now();
          if (left <= 0) return false;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, left);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        return true;
      },
      close() {
        owner.client.received.push(`GET /api/dashboard/sessions/${sessionId}/live (stream)\n\n${text}`);
        controller.abort();
      },
    };
  }

  test("2. the reverse tricks: B's key naming A's room reaches B's class only, the server's key reaches only shared classes (C's), live views included", async () => {
    const now = Math.floor(Date.now() / MIN) * MIN;
    const start = now - 20 * MIN;
    const room = uniqueName("a-live");
    const [as1, as2] = [person(A, "lvs1"), person(A, "lvs2")];
    const [bs1, bs2, bs3] = [person(B, "lvs1"), person(B, "lvs2"), person(B, "lvs3")];
    const cs1 = person(C, "lvs1");
    const sharedVisitor = `c-visitor-${tag}`;
    C.markers.push(sharedVisitor);
    const aId = await createClass(A, classInput(A, { label: "live", room, start, students: [as1, as2] }));
    const bId = await createClass(B, classInput(B, { label: "live", room, start, students: [bs1, bs2, bs3] }));
    // C, on the shared key, books A's room name at A's time too: 201, nothing of A's is in its way.
    const cId = await createClass(C, classInput(C, { label: "live", room, start, students: [cs1] }));

    const live = { A: await openLive(A, aId), B: await openLive(B, bId), C: await openLive(C, cId) };
    try {
      for (const stream of Object.values(live)) expect(await stream.has("event: ready")).toBe(true);
      // The server's one LISTEN connection may still be opening: A's own room_started until A's view hears one.
      let heard = false;
      for (let i = 0; i < 10 && !heard; i++) {
        const started = toWebhookBody(roomStarted(eventId(), roomRef(room, start), start - 10 * MIN + i * 1000));
        expect((await deliver(started, signerA)).json.result).toBe("stored");
        heard = await live.A.has("room_started", 3000);
      }
      expect(heard, "A's live view hears A's webhooks").toBe(true);

      await visit(signerA, room, as1.livekitIdentity, start + MIN, null, "stored");
      await visit(signerA, room, as2.livekitIdentity, start + 2 * MIN, null, "stored");
      expect(await live.A.has(as2.livekitIdentity)).toBe(true);
      // B's LiveKit names A's room: the webhook is B's, for B's class of that name.
      await visit(signerB, room, bs1.livekitIdentity, start + 3 * MIN, null, "stored");
      expect(await live.B.has(bs1.livekitIdentity)).toBe(true);
      // The server's key names the same room: the shared project's, C's class.
      await visit(server, room, cs1.livekitIdentity, start + 4 * MIN, null, "stored");
      await visit(server, room, sharedVisitor, start + 5 * MIN, null, "stored");
      expect(await live.C.has(sharedVisitor)).toBe(true);
    } finally {
      for (const stream of Object.values(live)) stream.close();
    }
    // Each view heard its own school's webhooks and nobody else's: B one change, C two.
    expect(live.B.text().match(/^event: change$/gm)).toHaveLength(1);
    expect(live.C.text().match(/^event: change$/gm)).toHaveLength(2);
    expectNone(live.A.text(), [...B.markers, ...C.markers], "A's live stream");
    expectNone(live.B.text(), [...A.markers, ...C.markers], "B's live stream");
    expectNone(live.C.text(), [...A.markers, ...B.markers], "C's live stream");

    expect(await presenceOf(A, aId)).toEqual([as1, as2].map((p) => p.livekitIdentity).sort());
    expect(await presenceOf(B, bId)).toEqual([bs1.livekitIdentity]);
    expect(await presenceOf(C, cId)).toEqual([cs1.livekitIdentity, sharedVisitor].sort());

    // The sessions lists count each school's own people in the room.
    const inRoom = async (owner: Academy, label: string) => {
      const text = pageText((await owner.client.request("/sessions?view=live", { cookie: owner.adminCookie })).text);
      const at = text.indexOf(`T${owner.label}${label}${tag}`);
      expect(at, `${owner.label}'s live list shows its class`).toBeGreaterThanOrEqual(0);
      return text.slice(at).match(/\d+ of \d+ students? in the room · teacher (?:not )?in(?: · \d+ guests?)?/)?.[0];
    };
    expect(await inRoom(A, "live")).toBe("2 of 2 students in the room · teacher not in");
    expect(await inRoom(B, "live")).toBe("1 of 3 students in the room · teacher not in");
    expect(await inRoom(C, "live")).toBe("1 of 1 student in the room · teacher not in · 1 guest");

    // The server's key naming a room only B uses (B's own scope) reaches nothing: kept, matched to no class.
    const bOnlyRoom = uniqueName("b-only");
    const bOnlyId = await createClass(
      B,
      classInput(B, { label: "only", room: bOnlyRoom, start, students: [person(B, "onlys")] }),
    );
    const intruder = `shared-intruder-${tag}`;
    C.markers.push(intruder);
    await visit(server, bOnlyRoom, intruder, start + MIN, null, "ignored");
    expect(await presenceOf(B, bOnlyId)).toEqual([]);
    // And B's key naming a room only A uses: B's webhook, for no class of B's, never A's.
    const aOnlyRoom = uniqueName("a-only");
    const aOnlyId = await createClass(
      A,
      classInput(A, { label: "only", room: aOnlyRoom, start, students: [person(A, "onlys")] }),
    );
    const bForged = `b-forged-${tag}`;
    B.markers.push(bForged);
    await visit(signerB, aOnlyRoom, bForged, start + MIN, null, "ignored");
    expect(await presenceOf(A, aOnlyId)).toEqual([]);
    expect(await eventLog(A)).not.toContain(bForged);

    // An early end is the school's own: A's LiveKit finishing the room ends A's class early, not B's;
    // the shared project finishing a room of that name ends neither.
    const tomorrow = now + 24 * HOUR;
    const endRoom = uniqueName("a-end");
    const aEnd = await createClass(
      A,
      classInput(A, { label: "end", room: endRoom, start: tomorrow, students: [person(A, "ends")] }),
    );
    const bEnd = await createClass(
      B,
      classInput(B, { label: "end", room: endRoom, start: tomorrow, students: [person(B, "ends")] }),
    );
    expect(
      (await deliver(toWebhookBody(roomFinished(eventId(), roomRef(endRoom, tomorrow), tomorrow + 30 * MIN)), signerA))
        .json.result,
    ).toBe("stored");
    expect(
      (await deliver(toWebhookBody(roomFinished(eventId(), roomRef(endRoom, tomorrow), tomorrow + 20 * MIN)), server))
        .json.result,
    ).toBe("ignored");
    const view = async (owner: Academy, id: string) => {
      const { session } = (await owner.client.api("GET", `/sessions/${id}`, owner.key)).json as SessionBody;
      return { windowEnd: session.windowEnd, endedEarly: session.endedEarly };
    };
    expect(await view(A, aEnd)).toEqual({ windowEnd: new Date(tomorrow + 30 * MIN).toISOString(), endedEarly: true });
    expect(await view(B, bEnd)).toEqual({ windowEnd: new Date(tomorrow + HOUR).toISOString(), endedEarly: false });

    for (const answer of B.client.received) expectNone(answer, A.markers, `an answer to B: ${answer.split("\n")[0]}`);
    for (const answer of C.client.received)
      expectNone(answer, [...A.markers, ...B.markers], `an answer to C: ${answer.split("\n")[0]}`);
  });

  test("3. no answer reveals that another academy uses a room name; a clash within one scope is still refused, without naming the other school", async () => {
    const slot = Math.floor(Date.now() / MIN) * MIN + 48 * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString();
    const aRoom = uniqueName("a-taken");
    const aRoom2 = uniqueName("a-taken2");
    const aId = await createClass(
      A,
      classInput(A, { label: "taken", room: aRoom, start: slot, students: [person(A, "takens")] }),
    );
    await createClass(
      A,
      classInput(A, { label: "taken2", room: aRoom2, start: slot, students: [person(A, "taken2s")] }),
    );
    const bBefore = await snapshot(A);

    // B creates a class in A's room at A's time, and one in a name nobody ever used: the same answer.
    const bStudents = (label: string) => [person(B, `${label}s`)];
    const intoTaken = await B.client.api(
      "POST",
      "/sessions",
      B.key,
      classInput(B, { label: "intotaken", room: aRoom, start: slot, students: bStudents("intotaken") }),
    );
    const intoFresh = await B.client.api(
      "POST",
      "/sessions",
      B.key,
      classInput(B, {
        label: "intofresh",
        room: uniqueName("never-used"),
        start: slot,
        students: bStudents("intofresh"),
      }),
    );
    expect([intoTaken.status, intoFresh.status]).toEqual([201, 201]);
    expect(shape(intoTaken.json)).toEqual(shape(intoFresh.json));
    const pick = (answer: Answer) => {
      const { session } = answer.json as SessionBody;
      return {
        status: session.status,
        endedEarly: session.endedEarly,
        windowIsScheduledEnd: session.windowEnd === session.scheduledEnd,
      };
    };
    expect(pick(intoTaken)).toEqual({ status: "scheduled", endedEarly: false, windowIsScheduledEnd: true });
    expect(pick(intoFresh)).toEqual(pick(intoTaken));

    // B moves two of its classes: one into A's other room at A's time, one into a fresh name.
    const elsewhere = slot + 3 * HOUR;
    const movers = [
      await createClass(
        B,
        classInput(B, {
          label: "mover1",
          room: uniqueName("b-mover"),
          start: elsewhere,
          students: bStudents("mover1"),
        }),
      ),
      await createClass(
        B,
        classInput(B, {
          label: "mover2",
          room: uniqueName("b-mover"),
          start: elsewhere,
          students: bStudents("mover2"),
        }),
      ),
    ];
    const move = { scheduledStart: iso(slot), scheduledEnd: iso(slot + HOUR) };
    const patchTaken = await B.client.api("PATCH", `/sessions/${movers[0]}`, B.key, { roomName: aRoom2, ...move });
    const patchFresh = await B.client.api("PATCH", `/sessions/${movers[1]}`, B.key, {
      roomName: uniqueName("never-used"),
      ...move,
    });
    expect([patchTaken.status, patchFresh.status]).toEqual([200, 200]);
    expect(shape(patchTaken.json)).toEqual(shape(patchFresh.json));
    expect(pick(patchTaken)).toEqual(pick(patchFresh));
    expect(await snapshot(A), "A's data is untouched by B's bookings").toEqual(bBefore);

    // Within one scope the overlap is refused: A against itself, and B against its own booking of the name.
    const aBefore = await snapshot(A);
    const aClash = await A.client.api("POST", "/sessions", A.key, {
      ...classInput(A, { label: "clash", room: aRoom, start: slot + 30 * MIN, students: [person(A, "clashs")] }),
    });
    expect([aClash.status, (aClash.json as { error: { code: string } }).error.code]).toEqual([409, "conflict"]);
    const aMove = await A.client.api("PATCH", `/sessions/${aId}`, A.key, { roomName: aRoom2 });
    expect(aMove.status).toBe(409);
    expect(await snapshot(A)).toEqual(aBefore);
    const bClash = await B.client.api(
      "POST",
      "/sessions",
      B.key,
      classInput(B, { label: "clash", room: aRoom, start: slot + 30 * MIN, students: bStudents("clash") }),
    );
    expect(bClash.status).toBe(409);

    // C and D share the server's key, so they share its room names: D is refused, told nothing of C.
    const sharedRoom = uniqueName("shared-room");
    const cInput = classInput(C, {
      label: "held",
      room: sharedRoom,
      start: slot,
      teacher: person(C, "heldt"),
      students: [person(C, "helds")],
    });
    const cId = await createClass(C, cInput);
    const dBefore = await snapshot(D);
    const dCreate = await D.client.api(
      "POST",
      "/sessions",
      D.key,
      classInput(D, { label: "clash", room: sharedRoom, start: slot + 15 * MIN, students: [person(D, "clashs")] }),
    );
    expect(await snapshot(D), "D's refused class left nothing behind").toEqual(dBefore);
    const dMover = await createClass(
      D,
      classInput(D, { label: "mover", room: uniqueName("d-mover"), start: elsewhere, students: [person(D, "movers")] }),
    );
    const dBeforeMove = await snapshot(D);
    const dMove = await D.client.api("PATCH", `/sessions/${dMover}`, D.key, { roomName: sharedRoom, ...move });
    for (const answer of [dCreate, dMove]) {
      expect(answer.status).toBe(409);
      const { error } = answer.json as { error: { code: string; message: string } };
      expect(error.code).toBe("conflict");
      expect(error.message).toContain(sharedRoom);
      expectNone(answer.text, [...C.markers, cId, cInput.title, C.name, C.id], "D's 409");
    }
    expect(await snapshot(D)).toEqual(dBeforeMove);
    expect(dBeforeMove.sessions).toHaveLength(dBefore.sessions!.length + 1);
    // B, on its own key, books that shared room name at that time: its own project, no clash.
    expect(
      (
        await B.client.api(
          "POST",
          "/sessions",
          B.key,
          classInput(B, { label: "shared", room: sharedRoom, start: slot, students: bStudents("shared") }),
        )
      ).status,
    ).toBe(201);
    for (const answer of B.client.received)
      expectNone(answer, [...A.markers, ...C.markers], `an answer to B: ${answer.split("\n")[0]}`);
    for (const answer of D.client.received) expectNone(answer, C.markers, `an answer to D: ${answer.split("\n")[0]}`);
  });

  test("4. keys: forged and unknown signers are 401 and store nothing; nobody registers, retires or sees another's key or secret", async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 3 * HOUR;
    const room = uniqueName("a-keys");
    const aId = await createClass(A, classInput(A, { label: "keys", room, start, students: [person(A, "keyss")] }));
    const forgedIdentity = `forged-${tag}`;
    const body = (id: string) =>
      toWebhookBody(
        participantJoined(
          id,
          roomRef(room, start),
          { sid: `PA_${tag}_forged`, identity: forgedIdentity, name: "Forged", joinedAtMs: start },
          start,
        ),
      );
    const bodyFor = (label: string) => {
      const id = `EV_${tag}_${label}`;
      return { id, text: body(id) };
    };
    const attempts: [string, (text: string) => Promise<string>][] = [
      ["A's key id, another secret", (text) => signWebhook(text, signerA.apiKey, newSecret())],
      ["A's key id, B's secret", (text) => signWebhook(text, signerA.apiKey, signerB.apiSecret)],
      ["A's key id, the server's secret", (text) => signWebhook(text, signerA.apiKey, server.apiSecret)],
      [
        "A's key id, unsigned (alg none)",
        async (text) => handMadeJwt(webhookClaims(text, signerA.apiKey), "", { alg: "none", typ: "JWT" }),
      ],
      ["A's key id in another case", (text) => signWebhook(text, signerA.apiKey.toLowerCase(), signerA.apiSecret)],
      ["an unknown key", (text) => signWebhook(text, `APIunknown${tag}`, newSecret())],
      ["the server's key id, A's secret", (text) => signWebhook(text, server.apiKey, signerA.apiSecret)],
    ];
    for (const [label, sign] of attempts) {
      const { id, text } = bodyFor(label.replace(/\W+/g, "_"));
      const answer = await postWebhook(backend.baseUrl, text, { authorization: await sign(text) });
      expect([answer.status, answer.json.ok], label).toEqual([401, false]);
      expect(await storedCount(id), `${label}: stored`).toBe(0);
    }
    expect(await presenceOf(A, aId)).toEqual([]);

    const everyone = async () => ({
      credentials: await credentialRows(),
      A: await snapshot(A),
      B: await snapshot(B),
      C: await snapshot(C),
    });
    const before = await everyone();

    // B tries A's key id with A's own secret (one LiveKit project signing for two academies):
    // refused, and the answer does not say whose it is. (With a secret of its own: test 4b.)
    const taken = await registerKey(B, { apiKey: signerA.apiKey, apiSecret: signerA.apiSecret });
    expect(taken.status).toBe(409);
    expectNone(taken.text, [...A.markers, A.id, A.name], "B's 409 on A's key and secret");
    // Registering the server-wide key: refused, for a shared academy and for one on its own key.
    for (const owner of [C, B]) {
      const serverKey = await registerKey(owner, { apiKey: server.apiKey, apiSecret: newSecret() });
      expect(serverKey.status, `${owner.label} registers the server key`).toBe(409);
      expect(secretsIn(serverKey.text, [server.apiSecret])).toEqual([]);
    }
    // Not an admin, not signed in, not from Rollcall's own pages.
    expect(
      (await registerKey(A, { apiKey: `APIteacher${tag}`, apiSecret: newSecret() }, { cookie: teacherA.cookie }))
        .status,
    ).toBe(403);
    expect((await retireKey(A, signerA.apiKey, { cookie: teacherA.cookie })).status).toBe(403);
    expect((await A.client.request(KEYS_ROUTE, { method: "POST", origin, body: { generate: true } })).status).toBe(401);
    expect((await A.client.request(`${KEYS_ROUTE}/${signerA.apiKey}`, { method: "DELETE", origin })).status).toBe(401);
    for (const evil of ["https://evil.example", `${origin}.evil.example`, null]) {
      expect((await registerKey(A, { generate: true }, { origin: evil })).status, `POST from ${evil}`).toBe(403);
      expect((await retireKey(A, signerA.apiKey, { origin: evil })).status, `DELETE from ${evil}`).toBe(403);
    }
    // B retiring A's key: the same 404 as for a key that never existed.
    const foreign = await retireKey(B, signerA.apiKey);
    const never = await retireKey(B, `APInever${tag}`);
    expect([foreign.status, never.status]).toEqual([404, 404]);
    expect(foreign.text.replace(signerA.apiKey, "KEY")).toBe(never.text.replace(`APInever${tag}`, "KEY"));
    // Invalid bodies: 422, nothing stored.
    const invalid: [string, unknown][] = [
      ["a 31-character secret", { apiKey: `APIshort${tag}`, apiSecret: "s".repeat(31) }],
      ["a space in the key", { apiKey: `API bad${tag}`, apiSecret: newSecret() }],
      ["a slash in the key", { apiKey: `API/../${tag}`, apiSecret: newSecret() }],
      ["markup in the key", { apiKey: `<script>${tag}`, apiSecret: newSecret() }],
      ["a two-character key", { apiKey: "AP", apiSecret: newSecret() }],
      ["a space in the secret", { apiKey: `APIspace${tag}`, apiSecret: `${newSecret()} x` }],
      ["both generate and a key", { generate: true, apiKey: `APIboth${tag}`, apiSecret: newSecret() }],
      ["generate false", { generate: false }],
      ["no secret", { apiKey: `APInosecret${tag}` }],
      ["an academy id", { apiKey: `APIacademy${tag}`, apiSecret: newSecret(), academyId: A.id }],
      ["nothing", {}],
    ];
    for (const [label, invalidBody] of invalid) {
      const answer = await registerKey(B, invalidBody);
      expect([answer.status, (answer.json as { error?: { code: string } }).error?.code], label).toEqual([
        422,
        "validation_failed",
      ]);
    }
    expect(await everyone(), "nothing changed").toEqual(before);
    // A's key still works after all that.
    await visit(signerA, room, `a-keys-after-${tag}`, start + MIN, start + 2 * MIN, "stored");
    A.markers.push(`a-keys-after-${tag}`);

    // The secrets: not in the admin pages, not in the database in clear.
    const aPage = await A.client.request("/admin/livekit", { cookie: A.adminCookie });
    expect(aPage.status).toBe(200);
    expect(aPage.text).toContain(signerA.apiKey);
    expect(aPage.text).not.toContain(signerB.apiKey);
    const bPage = await B.client.request("/admin/livekit", { cookie: B.adminCookie });
    expect(bPage.text).toContain(signerB.apiKey);
    expect(bPage.text).not.toContain(signerA.apiKey);
    const cPage = await C.client.request("/admin/livekit", { cookie: C.adminCookie });
    expect(cPage.status).toBe(200);
    expect(pageText(cPage.text)).toContain(`${C.name} uses the server's LiveKit key`);
    expect((await A.client.request("/admin/livekit", { cookie: teacherA.cookie })).status).toBe(404);
    const encodings = (secret: string) => [
      secret,
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      Buffer.from(secret).toString("hex"),
    ];
    const stored = (
      await db.pool.query<{ row: string }>("SELECT row_to_json(t)::text AS row FROM livekit_credential t")
    ).rows
      .map((row) => row.row)
      .join("\n");
    const webhooks = (
      await db.pool.query<{ row: string }>(
        "SELECT row_to_json(t)::text AS row FROM webhook_event t WHERE livekit_scope IN ($1, $2)",
        [A.id, B.id],
      )
    ).rows
      .map((row) => row.row)
      .join("\n");
    for (const secret of secrets) {
      expect(secretsIn(stored, encodings(secret)), "a secret in livekit_credential").toEqual([]);
      expect(secretsIn(webhooks, encodings(secret)), "a secret in webhook_event").toEqual([]);
    }
    expect(stored).toMatch(/"secret_ciphertext":"v1\.[\w-]+\.[\w-]+\.[\w-]+"/);
  });

  test("4b. another academy registering A's key id with a secret of its own takes none of A's webhooks, and its answer says nothing of A", async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 3 * HOUR;
    const room = uniqueName("a-squat");
    const owned = person(A, "squat");
    const aId = await createClass(A, classInput(A, { label: "squat", room, start, students: [owned] }));
    const squatter: Signer = { apiKey: signerA.apiKey, apiSecret: newSecret() };
    secrets.push(squatter.apiSecret);
    // Accepted like any new key: refusing would tell B the id is registered, and block the owner
    // (had B come first) from its own key.
    const squatted = await registerKey(B, squatter);
    expect([squatted.status, squatted.json]).toEqual([
      201,
      { livekitKey: { apiKey: signerA.apiKey, action: "rotate", movedSessions: 0 } },
    ]);
    expectNone(squatted.text, [...A.markers, A.id, A.name], "B's answer on A's key id");

    // A's LiveKit still signs for A alone.
    await visit(signerA, room, owned.livekitIdentity, start, start + HOUR, "stored");
    expect(await presenceOf(A, aId)).toEqual([owned.livekitIdentity]);
    // What B signs with A's key id is B's: it never reaches A's class in A's room (B has no session there).
    const intruder = `squat-intruder-${tag}`;
    B.markers.push(intruder);
    await visit(squatter, room, intruder, start + MIN, start + 2 * MIN, "ignored");
    expect(await presenceOf(A, aId)).toEqual([owned.livekitIdentity]);
    const scopes = (
      await db.pool.query<{ livekit_scope: string }>("SELECT livekit_scope FROM webhook_event WHERE identity = $1", [
        intruder,
      ])
    ).rows;
    expect(scopes).toEqual([{ livekit_scope: B.id }, { livekit_scope: B.id }]);

    // B retires its copy of the id; A's key is untouched.
    expect((await retireKey(B, signerA.apiKey)).status).toBe(204);
    const after = person(A, "squatafter");
    await visit(signerA, room, after.livekitIdentity, start + 3 * MIN, start + 4 * MIN, "stored");
    A.markers.push(after.livekitIdentity);
    expect(await presenceOf(A, aId)).toEqual([owned.livekitIdentity, after.livekitIdentity].sort());
  });

  test("5. rotation: both live keys count; a retired key is refused on the very next webhook, what it signed before stays; a third key and retiring the last are refused", async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 3 * HOUR;
    const room = uniqueName("a-rotate");
    const [oldSigned, newSigned, afterRetire] = [person(A, "rotold"), person(A, "rotnew"), person(A, "rotlate")];
    const aId = await createClass(
      A,
      classInput(A, { label: "rotate", room, start, students: [oldSigned, newSigned, afterRetire] }),
    );
    await visit(signerA, room, oldSigned.livekitIdentity, start - MIN, start + HOUR, "stored");

    const second: Signer = { apiKey: `APIa2${tag}${randomBytes(4).toString("hex")}`, apiSecret: newSecret() };
    secrets.push(second.apiSecret);
    const rotated = await registerKey(A, second);
    expect([rotated.status, rotated.json]).toEqual([
      201,
      { livekitKey: { apiKey: second.apiKey, action: "rotate", movedSessions: 0 } },
    ]);
    await visit(second, room, newSigned.livekitIdentity, start + 10 * MIN, start + HOUR, "stored");
    await visit(firstKeyA, room, `a-rotboth-${tag}`, start + 30 * MIN, start + 31 * MIN, "stored");
    A.markers.push(`a-rotboth-${tag}`);

    const keysBefore = await credentialRows();
    const third = await registerKey(A, { apiKey: `APIa3${tag}`, apiSecret: newSecret() });
    expect(third.status).toBe(409);
    expect(await credentialRows()).toEqual(keysBefore);

    expect((await retireKey(A, firstKeyA.apiKey)).status).toBe(204);
    signerA = second;
    // The very next webhook signed with the retired key: refused, not stored.
    const lateId = eventId();
    const late = toWebhookBody(
      participantJoined(
        lateId,
        roomRef(room, start),
        { sid: `PA_${tag}_late`, identity: afterRetire.livekitIdentity, name: "Late", joinedAtMs: start + 20 * MIN },
        start + 20 * MIN,
      ),
    );
    const refused = await deliver(late, firstKeyA);
    expect([refused.status, refused.json.ok]).toEqual([401, false]);
    expect(await storedCount(lateId)).toBe(0);
    await visit(second, room, `a-rotafter-${tag}`, start + 40 * MIN, start + 41 * MIN, "stored");
    A.markers.push(`a-rotafter-${tag}`);

    // The report keeps what the retired key signed while it was live.
    const report = await recalculated(A, aId);
    expect(summary(report)).toEqual({
      [`a-rotatet-${tag}`]: "teacher absent 0s 0% on time",
      [oldSigned.livekitIdentity]: "student present 3600s 100% on time",
      [newSigned.livekitIdentity]: "student present 3000s 83.3% on time",
      [afterRetire.livekitIdentity]: "student absent 0s 0% on time",
      [`a-rotboth-${tag}`]: "guest absent 60s 1.7% late 30",
      [`a-rotafter-${tag}`]: "guest absent 60s 1.7% late 40",
    });

    const keysAfterRetire = await credentialRows();
    const last = await retireKey(A, second.apiKey);
    expect(last.status).toBe(409);
    expect((await retireKey(A, firstKeyA.apiKey)).status, "retiring a retired key").toBe(404);
    expect((await registerKey(A, firstKeyA)).status, "bringing a retired key back").toBe(409);
    expect(await credentialRows()).toEqual(keysAfterRetire);
    await visit(second, room, `a-rotstill-${tag}`, start + 50 * MIN, start + 51 * MIN, "stored");
    A.markers.push(`a-rotstill-${tag}`);

    const page = await A.client.request("/admin/livekit", { cookie: A.adminCookie });
    expect(page.text).toContain(firstKeyA.apiKey);
    expect(page.text).toContain(second.apiKey);
  });

  test("6. moving to an own key: a class under way keeps the shared webhooks it had, tomorrow's reads only A's, and a class moved later takes A's scope", async () => {
    const { old, patch, upcoming } = early;
    // A-signed webhooks for the room of the class that had started: kept, but that class keeps reading the shared key's.
    await visit(signerA, old.room, old.own.livekitIdentity, old.start, old.start + HOUR, "ignored");
    expect(summary(await recalculated(A, old.id))).toEqual(old.report);
    expect(await reportRows(old.id)).toEqual(old.rows);

    // Tomorrow's class moved when A registered its key: it reads A's webhooks, not the shared one it had.
    await visit(signerA, upcoming.room, upcoming.own.livekitIdentity, upcoming.start + 5 * MIN, null, "stored");
    await visit(server, upcoming.room, `a-upshared2-${tag}`, upcoming.start + 6 * MIN, null, "ignored");
    A.markers.push(`a-upshared2-${tag}`);
    expect(await presenceOf(A, upcoming.id)).toEqual([upcoming.own.livekitIdentity]);
    const upLog = await eventLog(A, `session=${upcoming.id}`);
    expect(upLog).toContain(upcoming.own.livekitIdentity);
    expect(upLog).not.toContain(upcoming.shared);

    // A class from before the key, changed in title only, still reads the shared webhooks.
    await visit(
      signerA,
      patch.room,
      patch.own.livekitIdentity,
      patch.start + 4 * MIN,
      patch.start + 65 * MIN,
      "ignored",
    );
    const before = {
      [patch.teacher.livekitIdentity]: "teacher absent 0s 0% on time",
      [patch.shared.livekitIdentity]: "student present 3600s 100% on time",
      [patch.own.livekitIdentity]: "student absent 0s 0% on time",
    };
    expect(summary(await recalculated(A, patch.id))).toEqual(before);
    expect((await A.client.api("PATCH", `/sessions/${patch.id}`, A.key, { title: `TApatch2${tag}` })).status).toBe(200);
    A.markers.push(`TApatch2${tag}`);
    expect(summary(await recalculated(A, patch.id))).toEqual(before);
    // Moved five minutes later, it takes A's scope: the shared visit no longer counts, A's does (minute 5 to 65: all of it).
    const moved = await A.client.api("PATCH", `/sessions/${patch.id}`, A.key, {
      scheduledStart: new Date(patch.start + 5 * MIN).toISOString(),
      scheduledEnd: new Date(patch.start + 65 * MIN).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(summary(await recalculated(A, patch.id))).toEqual({
      [patch.teacher.livekitIdentity]: "teacher absent 0s 0% on time",
      [patch.shared.livekitIdentity]: "student absent 0s 0% on time",
      [patch.own.livekitIdentity]: "student present 3600s 100% on time",
    });
  });

  // Registering a first key while the school's system creates a class: the class must not stay on the
  // shared key. Forced by holding the room's lock while both requests run; PGlite runs one transaction
  // at a time, so only PostgreSQL can interleave them at all (as in calculation.integration.test.ts).
  if (backend.name === "postgres") {
    test("6b. a class created while the academy registers its first key ends up on the academy's key", async () => {
      const E = await makeAcademy("E");
      const room = uniqueName("e-race");
      const start = Math.floor(Date.now() / MIN) * MIN + 24 * HOUR;
      const waiters = async () =>
        (
          await db.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted",
          )
        ).rows[0]!.n;
      const holder = await db.pool.connect();
      let create: Promise<Answer> | null = null;
      let register: Promise<Answer> | null = null;
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`room/shared/${room}`]);
        const base = await waiters();
        create = E.client.api("POST", "/sessions", E.key, {
          type: "academic",
          title: `Race ${tag}`,
          roomName: room,
          scheduledStart: new Date(start).toISOString(),
          scheduledEnd: new Date(start + HOUR).toISOString(),
          teacher: { externalId: `race-t-${tag}`, name: "Race Teacher", livekitIdentity: `race-t-${tag}` },
          students: [],
        });
        const deadline = Date.now() + 20_000;
        while ((await waiters()) < base + 1) {
          if (Date.now() > deadline) throw new Error("the create never waited on the room");
          await new Promise((resolve) => setImmediate(resolve));
        }
        const own: Signer = { apiKey: `APIe${tag}${randomBytes(4).toString("hex")}`, apiSecret: newSecret() };
        secrets.push(own.apiSecret);
        let settled = false;
        register = registerKey(E, own).finally(() => (settled = true));
        // Either the registration waits for the class being created, or it has already answered.
        while (!settled && (await waiters()) < base + 2) {
          if (Date.now() > deadline) throw new Error("the registration neither answered nor waited");
          await new Promise((resolve) => setImmediate(resolve));
        }
        await holder.query("COMMIT");
        const [created, registered] = [await create, await register];
        expect(created.status).toBe(201);
        expect(registered.status).toBe(201);
        // The academy had no other class: the one created meanwhile is the one that moves.
        expect((registered.json as { livekitKey: { movedSessions: number } }).livekitKey.movedSessions).toBe(1);
        const sessionId = (created.json as SessionBody).session.id;
        await visit(server, room, `e-shared-${tag}`, start + 5 * MIN, null, "ignored");
        await visit(own, room, `e-own-${tag}`, start + 5 * MIN, null, "stored");
        expect(await presenceOf(E, sessionId)).toEqual([`e-own-${tag}`]);
      } finally {
        await holder.query("ROLLBACK").catch(() => undefined);
        holder.release();
        await Promise.allSettled([create, register]);
      }
    });
  }

  test("7. one webhook id in three scopes is three webhooks, each answered for its own scope; a repeat within a scope is a duplicate", async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 3 * HOUR;
    const room = uniqueName("a-dup");
    const aId = await createClass(A, classInput(A, { label: "dup", room, start, students: [person(A, "dups")] }));
    const cId = await createClass(C, classInput(C, { label: "dup", room, start, students: [person(C, "dups")] }));
    const id = `EV_${tag}_same`;
    // One body, as if three LiveKit projects had picked the same id: its identity is nobody's marker.
    const body = toWebhookBody(
      participantJoined(
        id,
        roomRef(room, start),
        { sid: `PA_${tag}_same`, identity: `same-${tag}`, name: "Same", joinedAtMs: start + MIN },
        start + MIN,
      ),
    );
    const results: string[] = [];
    for (const by of [signerA, signerB, server, signerA, signerB, server])
      results.push(String((await deliver(body, by)).json.result));
    // A's class and C's (shared) hold the room then; B has no class there.
    expect(results).toEqual(["stored", "ignored", "stored", "duplicate", "duplicate", "duplicate"]);
    const rows = await db.pool.query<{ livekit_scope: string; api_key: string }>(
      "SELECT livekit_scope, api_key FROM webhook_event WHERE id = $1 ORDER BY api_key",
      [id],
    );
    expect(rows.rows.map((row) => `${row.livekit_scope}/${row.api_key}`).sort()).toEqual(
      [`${A.id}/${signerA.apiKey}`, `${B.id}/${signerB.apiKey}`, `shared/${server.apiKey}`].sort(),
    );
    expect(await presenceOf(A, aId)).toEqual([`same-${tag}`]);
    expect(await presenceOf(C, cId)).toEqual([`same-${tag}`]);
  });

  test("8. the event log's unknown rooms: an academy on its own key sees its own key's webhooks for rooms without a class, never another's or the shared ones", async () => {
    const at = Math.floor(Date.now() / MIN) * MIN - 2 * HOUR;
    const rooms = { A: uniqueName("unknown-a"), B: uniqueName("unknown-b"), shared: uniqueName("unknown-s") };
    const who = { A: `a-unknown-${tag}`, B: `b-unknown-${tag}`, shared: `c-unknown-${tag}` };
    A.markers.push(who.A);
    B.markers.push(who.B);
    await visit(signerA, rooms.A, who.A, at, null, "ignored");
    await visit(signerB, rooms.B, who.B, at, null, "ignored");
    await visit(server, rooms.shared, who.shared, at, null, "ignored");
    // B's key naming A's unknown room, and the server's key too: still not A's.
    await visit(signerB, rooms.A, `b-unknown2-${tag}`, at, null, "ignored");
    await visit(server, rooms.A, `s-unknown2-${tag}`, at, null, "ignored");
    B.markers.push(`b-unknown2-${tag}`);

    const aUnknown = await eventLog(A, "unknownRooms=1");
    expect(aUnknown).toContain(who.A);
    expectNone(aUnknown, [who.B, who.shared, `b-unknown2-${tag}`, `s-unknown2-${tag}`], "A's unknown rooms");
    expect(await eventLog(A)).not.toContain(who.A);
    const bUnknown = await eventLog(B, "unknownRooms=1");
    expect(bUnknown).toContain(who.B);
    expect(bUnknown).toContain(`b-unknown2-${tag}`);
    expectNone(bUnknown, [who.A, who.shared, `s-unknown2-${tag}`], "B's unknown rooms");
    // C is one of several academies on the shared key: no unknown rooms at all.
    const cUnknown = await eventLog(C, "unknownRooms=1");
    expectNone(cUnknown, [who.A, who.B, who.shared, `b-unknown2-${tag}`, `s-unknown2-${tag}`], "C's unknown rooms");
    expect(pageText(cUnknown)).toContain("only operators see them");
  });

  test("no academy was ever answered another's names, people or events, and no answer or log holds a LiveKit secret", async () => {
    const all = [A, B, C, D];
    for (const viewer of all) {
      const others = all.filter((owner) => owner !== viewer).flatMap((owner) => owner.markers);
      const leaks = viewer.client.received.flatMap((answer) =>
        others.filter((marker) => answer.includes(marker)).map((marker) => `${answer.split("\n")[0]} holds ${marker}`),
      );
      expect(leaks, `answers to ${viewer.label}`).toEqual([]);
    }
    expect(all.reduce((sum, owner) => sum + owner.client.received.length, 0)).toBeGreaterThan(100);
    const answers = all.flatMap((owner) => owner.client.received);
    expect(
      answers.flatMap((answer) =>
        secretsIn(answer, secrets).map((secret) => `${answer.split("\n")[0]} holds ${secret.slice(0, 6)}…`),
      ),
    ).toEqual([]);
    // The generate answer itself is the one place B's secret was shown.
    expect(generateAnswer.json.livekitKey.apiSecret).toBe(signerB.apiSecret);
    const log = fs.readFileSync(path.join(inject("workDir"), `app-${new URL(backend.baseUrl).port}.log`), "utf8");
    expect(secretsIn(log, secrets).map((secret) => `${secret.slice(0, 6)}…`)).toEqual([]);
  });
});
