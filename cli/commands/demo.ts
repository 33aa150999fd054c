import "server-only";
import { createApiKey } from "../../lib/api-keys/api-keys.ts";
import { createDashboardUser } from "../../lib/auth/users.ts";
import { env } from "../../lib/env.ts";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../../lib/livekit/sign-webhook.ts";
import { createRng, livekitId, type Rng } from "../../lib/simulation/random.ts";
import {
  simulateClass,
  type Behaviour,
  type ClassPlan,
  type SimulatedEvent,
} from "../../lib/simulation/simulate-class.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
  type WebhookPayload,
} from "../../lib/simulation/webhook-payloads.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { DEMO_OPTIONS } from "../definitions/demo.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

const MIN = 60_000;
/** The demo's dashboard sign-ins; fixed so the README can name them (demo data only). */
export const DEMO_SIGN_INS = [
  {
    role: "admin",
    email: "admin@demo.rollcall.test",
    password: "demo-admin-password",
    name: "Demo Admin",
    externalId: "demo-admin",
  },
  {
    role: "teacher",
    email: "khadija@demo.rollcall.test",
    password: "demo-teacher-password",
    name: "Ustadha Khadija",
    externalId: "demo-teacher-1",
  },
] as const;
const STUDENT_NAMES = [
  "Aisha Rahman",
  "Omar Haddad",
  "Fatima Zahra",
  "Yusuf Karim",
  "Maryam Siddiqui",
  "Ibrahim Nasser",
  "Layla Hussain",
  "Bilal Ahmed",
  "Zainab Ali",
  "Hamza Qureshi",
  "Noor Saleh",
  "Idris Mansour",
  "Sara Khalil",
  "Adam Farouk",
];
// Every pattern the rules must handle, in one small class each.
const BEHAVIOUR_MIX: Behaviour[] = [
  "on_time",
  "early_prep",
  "late",
  "left_early",
  "absent",
  "reconnects",
  "second_tab",
  "lost_leave",
  "network_drops",
  "aborted_then_joins",
  "very_late",
  "phone_dial_in",
  "brief",
  "on_time",
];

interface DemoClass {
  key: string;
  type: "quran" | "academic" | "interactive";
  title: string;
  start: number;
  minutes: number;
  teacher: { externalId: string; name: string; identity: string };
  finishEarlyAt?: number;
}

interface Delivery {
  stored: number;
  duplicate: number;
  ignored: number;
  failed: number;
}

async function send(
  baseUrl: string,
  payload: WebhookPayload,
  credentials: { apiKey: string; apiSecret: string },
  tally: Delivery,
): Promise<void> {
  const body = toWebhookBody(payload);
  const response = await fetch(`${baseUrl}/api/livekit/webhook`, {
    method: "POST",
    headers: {
      "content-type": WEBHOOK_CONTENT_TYPE,
      authorization: await signWebhook(body, credentials.apiKey, credentials.apiSecret),
    },
    body,
  });
  const result = (await response.json().catch(() => ({}))) as { result?: keyof Delivery };
  if (response.ok && result.result && result.result in tally) tally[result.result] += 1;
  else tally.failed += 1;
}

/** Delivers a class's events in order, redelivering a few as LiveKit does after a lost response. */
async function deliver(
  baseUrl: string,
  events: SimulatedEvent[],
  rng: Rng,
  credentials: { apiKey: string; apiSecret: string },
  tally: Delivery,
) {
  for (const event of events) {
    await send(baseUrl, event.payload, credentials, tally);
    if (rng() < 0.08) await send(baseUrl, event.payload, credentials, tally);
  }
}

async function api<T>(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json()) as T & { error?: { message: string; details?: unknown } };
  if (!response.ok)
    throw new Error(
      `${method} ${path} failed (${response.status}): ${json.error?.message} ${JSON.stringify(json.error?.details ?? "")}`,
    );
  return json;
}

/** The demo's classes around `now`: two finished, one live, one tomorrow. */
function demoClasses(now: number): DemoClass[] {
  const hour = 60 * MIN;
  const roundToFive = (t: number) => Math.floor(t / (5 * MIN)) * 5 * MIN;
  const teachers = {
    quran: { externalId: "demo-teacher-1", name: "Ustadha Khadija", identity: "demo-teacher-khadija" },
    academic: { externalId: "demo-teacher-2", name: "Mr. Daniel Price", identity: "demo-teacher-daniel" },
  };
  return [
    {
      key: "tajweed",
      type: "quran",
      title: "Tajweed: Surah Al-Mulk",
      start: roundToFive(now - 4 * hour),
      minutes: 60,
      teacher: teachers.quran,
    },
    {
      key: "algebra",
      type: "academic",
      title: "Algebra II: quadratic equations",
      start: roundToFive(now - 2.5 * hour),
      minutes: 90,
      teacher: teachers.academic,
      finishEarlyAt: 0.85,
    },
    {
      key: "arabic",
      type: "interactive",
      title: "Arabic conversation club",
      start: roundToFive(now - 20 * MIN),
      minutes: 60,
      teacher: teachers.quran,
    },
    {
      key: "tafsir",
      type: "quran",
      title: "Tafsir circle",
      start: roundToFive(now + 22 * hour),
      minutes: 45,
      teacher: teachers.quran,
    },
  ];
}

const DEMO_STUDENTS = STUDENT_NAMES.map((name, i) => ({
  externalId: `demo-student-${i + 1}`,
  name,
  livekitIdentity: `demo-student-${i + 1}`,
}));

/** The demo academy (kept on re-runs) and a new API key for it. */
async function demoAcademyKey(run: string): Promise<string> {
  return withDatabase(async (db) => {
    const academy = await db.prisma.academy.upsert({
      where: { slug: "demo" },
      create: { slug: "demo", name: "Demo Academy", timezone: "Europe/London" },
      update: {},
    });
    return (await createApiKey(db.prisma, { academyId: academy.id, name: `demo ${run}` })).key;
  });
}

interface DemoRun {
  baseUrl: string;
  key: string;
  run: string;
  now: number;
  rng: Rng;
  credentials: { apiKey: string; apiSecret: string };
  tally: Delivery;
}

/** Creates one class through the API and, unless it is still to come, replays its webhooks up to now. */
async function playClass(demoRun: DemoRun, demoClass: DemoClass) {
  const { baseUrl, key, run, now, rng, credentials, tally } = demoRun;
  const roomName = `demo-${demoClass.key}-${run}`;
  const { session } = await api<{ session: { id: string } }>(baseUrl, key, "POST", "/sessions", {
    externalId: `${demoClass.key}-${run}`,
    type: demoClass.type,
    title: demoClass.title,
    roomName,
    scheduledStart: new Date(demoClass.start).toISOString(),
    scheduledEnd: new Date(demoClass.start + demoClass.minutes * MIN).toISOString(),
    teacher: {
      externalId: demoClass.teacher.externalId,
      name: demoClass.teacher.name,
      livekitIdentity: demoClass.teacher.identity,
    },
    students: DEMO_STUDENTS,
  });
  const plan: ClassPlan = {
    roomName,
    start: demoClass.start,
    end: demoClass.start + demoClass.minutes * MIN,
    teacher: { identity: demoClass.teacher.identity, name: demoClass.teacher.name },
    students: DEMO_STUDENTS.map((student, i) => ({
      identity: student.livekitIdentity,
      name: student.name,
      behaviour: BEHAVIOUR_MIX[i % BEHAVIOUR_MIX.length]!,
    })),
    withRecorder: true,
    finishEarlyAt: demoClass.finishEarlyAt,
  };
  if (demoClass.start > now) return { sessionId: session.id, plan, state: "upcoming" as const, webhooks: 0 };
  const isLive = plan.end > now;
  const events = simulateClass(isLive ? { ...plan, until: now } : plan, rng);
  await deliver(baseUrl, events, rng, credentials, tally);
  return {
    sessionId: session.id,
    plan,
    state: isLive ? ("live now" as const) : ("ended" as const),
    webhooks: events.length,
  };
}

/**
 * Creates a demo academy with classes through the real API and replays realistic classes against a
 * running server with signed webhooks: two finished classes, one live now that keeps changing for a
 * minute, and one tomorrow.
 */
export async function demo({ values }: ParsedCommand<typeof DEMO_OPTIONS>): Promise<number> {
  const baseUrl = values.url.replace(/\/$/, "");
  const liveSeconds = values["live-seconds"];
  const health = await fetch(`${baseUrl}/api/health`).catch(() => null);
  if (!health?.ok)
    throw new UsageError(`No Rollcall server answers at ${baseUrl}; start it first (npm start) or pass --url.`);

  const { LIVEKIT_API_KEY, LIVEKIT_API_SECRET } = env();
  const run = Date.now().toString(36);
  const rng = createRng(values.seed ?? Date.now() % 2 ** 31);
  const key = await demoAcademyKey(run);
  const now = Date.now();
  const demoRun: DemoRun = {
    baseUrl,
    key,
    run,
    now,
    rng,
    credentials: { apiKey: LIVEKIT_API_KEY, apiSecret: LIVEKIT_API_SECRET },
    tally: { stored: 0, duplicate: 0, ignored: 0, failed: 0 },
  };
  const { credentials, tally } = demoRun;

  const summary: (string | number)[][] = [];
  let live: { sessionId: string; plan: ClassPlan } | null = null;
  for (const demoClass of demoClasses(now)) {
    const played = await playClass(demoRun, demoClass);
    summary.push([demoClass.title, played.state, played.webhooks, played.sessionId]);
    if (played.state === "live now") live = played;
  }
  // A room no session has: logged, answered 200, and counted only if a session is created for it.
  const strangerRoom: RoomRef = { sid: livekitId(rng, "RM_"), name: `staff-meeting-${run}`, creationTimeMs: now - MIN };
  const stranger: ParticipantRef = {
    sid: livekitId(rng, "PA_"),
    identity: "principal",
    name: "Principal",
    joinedAtMs: now - MIN,
  };
  await send(baseUrl, participantJoined(livekitId(rng, "EV_"), strangerRoom, stranger, now), credentials, tally);

  await ensureDemoSignIns();
  printWelcome(demoRun, summary);

  if (live && liveSeconds > 0) {
    console.log(
      `\nThe live class keeps changing for ${liveSeconds} s; watch it with:\n  curl -H 'Authorization: Bearer ${key}' ${baseUrl}/api/v1/sessions/${live.sessionId}/presence`,
    );
    await streamLiveChanges(baseUrl, live.plan, liveSeconds, rng, credentials, tally);
  }
  await printLiveCounts(baseUrl, key, live?.sessionId ?? "");
  return tally.failed ? 1 : 0;
}

/** What was made, the deliveries, and how to sign in and read a report. */
function printWelcome({ baseUrl, key, tally }: DemoRun, summary: (string | number)[][]) {
  console.log(formatTable(["class", "state", "webhooks", "session id"], summary));
  console.log(
    `\nWebhooks: ${tally.stored} stored, ${tally.duplicate} duplicates absorbed, ${tally.ignored} logged as unmatched, ${tally.failed} failed.`,
  );
  console.log(`API key for the demo academy (shown once): ${key}`);
  console.log(`\nDashboard: ${baseUrl}/sign-in`);
  for (const user of DEMO_SIGN_INS) console.log(`  ${user.role.padEnd(8)} ${user.email}  password: ${user.password}`);
  const firstEnded = summary.find((row) => row[1] === "ended");
  if (firstEnded) {
    console.log(
      `\nThe finished classes are calculated within a minute (or now: npx rollcall attendance:calculate). Their reports:`,
    );
    console.log(`  curl -H 'Authorization: Bearer ${key}' ${baseUrl}/api/v1/sessions/${firstEnded[3]}/report`);
  }
}

async function printLiveCounts(baseUrl: string, key: string, liveSessionId: string) {
  type Tally = { roster: number; inRoom: number; left: number; notJoined: number };
  const { presence } = await api<{
    presence: { counts: { students: Tally; teachers: Tally; guests: { inRoom: number } } };
  }>(baseUrl, key, "GET", `/sessions/${liveSessionId}/presence`);
  const { students: s, teachers: t, guests: g } = presence.counts;
  console.log(
    `\nLive class now: ${s.inRoom} of ${s.roster} students in the room, ${s.left} left, ${s.notJoined} not joined; teacher ${t.inRoom ? "in the room" : "not in the room"}; ${g.inRoom} guest(s).`,
  );
}

/** The demo admin, and a sign-in for the demo teacher the classes were created with; kept on re-runs. */
async function ensureDemoSignIns() {
  return withDatabase(async (db) => {
    const academy = await db.prisma.academy.findUniqueOrThrow({ where: { slug: "demo" } });
    for (const user of DEMO_SIGN_INS) {
      if (await db.prisma.authUser.findUnique({ where: { email: user.email } })) continue;
      await createDashboardUser(db.prisma, { academyId: academy.id, ...user });
    }
  });
}

/** Real-time changes in the live class: a latecomer arrives, someone leaves, someone reconnects. */
async function streamLiveChanges(
  baseUrl: string,
  plan: ClassPlan,
  seconds: number,
  rng: Rng,
  credentials: { apiKey: string; apiSecret: string },
  tally: Delivery,
) {
  const room: RoomRef = { sid: livekitId(rng, "RM_"), name: plan.roomName, creationTimeMs: plan.start - 5 * MIN };
  const guests = [1, 2, 3].map((i): ParticipantRef => ({
    sid: "",
    identity: `demo-latecomer-${i}`,
    name: `Latecomer ${i}`,
    joinedAtMs: 0,
  }));
  const steps = guests.length * 2;
  for (let step = 0; step < steps; step++) {
    await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / steps));
    const guest = guests[Math.floor(step / 2)]!;
    const at = Date.now();
    if (step % 2 === 0) {
      guest.sid = livekitId(rng, "PA_");
      guest.joinedAtMs = at;
      await send(baseUrl, participantJoined(livekitId(rng, "EV_"), room, guest, at), credentials, tally);
      console.log(`  ${new Date(at).toISOString().slice(11, 19)}  ${guest.identity} joined`);
    } else if (step < steps - 1) {
      await send(
        baseUrl,
        participantLeft(livekitId(rng, "EV_"), room, guest, at, "CLIENT_INITIATED"),
        credentials,
        tally,
      );
      console.log(`  ${new Date(at).toISOString().slice(11, 19)}  ${guest.identity} left`);
    }
  }
}
