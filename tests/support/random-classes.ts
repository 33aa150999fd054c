import type pg from "pg";
import { planClass, simulateClass, type ClassPlan } from "../../lib/simulation/simulate-class.ts";
import { createRng, livekitId, randomInt, shuffle, type Rng } from "../../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  roomStarted,
  toWebhookBody,
} from "../../lib/simulation/webhook-payloads.ts";
import { callApi, inParallel, postWebhook, uniqueName } from "./fixtures.ts";
import { referenceAttendance } from "./reference.ts";

const MIN = 60_000;

export interface GeneratedClass {
  sessionId: string;
  plan: ClassPlan;
  /** Webhook bodies in LiveKit's order, as the reference calculates them. */
  bodies: string[];
  /** Event time of each body, for delivery in simulated real time. */
  times: number[];
}

/**
 * Random but realistic classes, created through the API and not yet delivered: each with its own
 * size, length and student behaviours, a recorder in some, an early room finish in some, and a
 * guest who is not on the roster in some.
 */
export async function createRandomClasses(
  baseUrl: string,
  apiKey: string,
  {
    count,
    seed,
    sizes = [3, 12],
    endedBefore = Date.now() - 10 * MIN,
    schedule,
  }: {
    count: number;
    seed: number;
    sizes?: [number, number];
    endedBefore?: number;
    schedule?: { start: number; minutes: number };
  },
): Promise<GeneratedClass[]> {
  const rng = createRng(seed);
  const prefix = uniqueName("rand");
  const plans = Array.from({ length: count }, (_, i) => {
    const minutes = schedule?.minutes ?? [30, 45, 60, 90][randomInt(rng, 0, 3)]!;
    const start =
      schedule?.start ?? Math.floor((endedBefore - minutes * MIN - randomInt(rng, 0, 48 * 60) * MIN) / 1000) * 1000;
    return planClass(rng, {
      roomName: `${prefix}-${i}`,
      start,
      minutes,
      size: randomInt(rng, sizes[0], sizes[1]),
      identityPrefix: `${prefix}-${i}`,
    });
  });
  const classes: GeneratedClass[] = new Array(count);
  await inParallel(plans, 8, async (plan, i) => {
    const created = await callApi<{ session: { id: string } }>(baseUrl, apiKey, "POST", "/sessions", {
      type: (["quran", "academic", "interactive"] as const)[i % 3],
      title: `Random class ${i}`,
      roomName: plan.roomName,
      scheduledStart: new Date(plan.start).toISOString(),
      scheduledEnd: new Date(plan.end).toISOString(),
      teacher: { externalId: plan.teacher.identity, name: plan.teacher.name, livekitIdentity: plan.teacher.identity },
      students: plan.students.map((s) => ({ externalId: s.identity, name: s.name, livekitIdentity: s.identity })),
    });
    if (created.status !== 201)
      throw new Error(`class ${i} not created: ${created.status} ${JSON.stringify(created.json)}`);
    const events = simulateClass(plan, createRng(seed * 7919 + i));
    if (rng() < 0.2) {
      const at = plan.start + randomInt(rng, 1, 20) * MIN;
      const room = { sid: livekitId(rng, "RM_"), name: plan.roomName, creationTimeMs: plan.start - 5 * MIN };
      const guest = { sid: livekitId(rng, "PA_"), identity: `${plan.roomName}-guest`, name: "Visitor", joinedAtMs: at };
      events.push({ payload: participantJoined(livekitId(rng, "EV_"), room, guest, at), at });
      events.sort((a, b) => a.at - b.at);
    }
    // The room reopens after it finished before the scheduled end: sometimes the teacher comes back
    // (the class resumes), sometimes only a student does (it stays ended), with or without leaves.
    const finish = events.find((e) => e.payload.event === "room_finished");
    if (finish && finish.at < plan.end - 3 * MIN && rng() < 0.6) {
      const room = { sid: livekitId(rng, "RM_"), name: plan.roomName, creationTimeMs: finish.at + MIN };
      const back = (identity: string, at: number) => {
        const who = { sid: livekitId(rng, "PA_"), identity, name: identity, joinedAtMs: at };
        events.push({ payload: participantJoined(livekitId(rng, "EV_"), room, who, at + 400), at: at + 1 });
        if (rng() < 0.7) {
          const leftAt = Math.floor((at + randomInt(rng, 1, 40) * MIN) / 1000) * 1000;
          events.push({
            payload: participantLeft(livekitId(rng, "EV_"), room, who, leftAt, "CLIENT_INITIATED"),
            at: leftAt + 2,
          });
        }
      };
      events.push({ payload: roomStarted(livekitId(rng, "EV_"), room, finish.at + MIN), at: finish.at + MIN });
      if (rng() < 0.5) back(plan.teacher.identity, finish.at + randomInt(rng, 1, 5) * MIN);
      const student = plan.students[randomInt(rng, 0, plan.students.length - 1)];
      if (student) back(student.identity, finish.at + randomInt(rng, 1, 8) * MIN);
      events.sort((a, b) => a.at - b.at);
    }
    classes[i] = {
      sessionId: created.json.session.id,
      plan,
      bodies: events.map((e) => toWebhookBody(e.payload)),
      times: events.map((e) => e.at),
    };
  });
  return classes;
}

/** Every class's webhooks, some duplicated, shuffled across classes: what an unreliable network delivers. */
export function duplicatedAndShuffled(rng: Rng, classes: GeneratedClass[], duplicateShare = 0.15): string[] {
  const all = classes.flatMap((c) => c.bodies);
  const duplicates = all.filter(() => rng() < duplicateShare);
  return shuffle(rng, [...all, ...duplicates]);
}

/** Delivers signed webhooks through the real route; returns the statuses seen (all must be 200). */
export async function deliverAll(baseUrl: string, bodies: string[], concurrency = 16): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await inParallel(bodies, concurrency, async (body) => {
    let status = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      status = (await postWebhook(baseUrl, body)).status;
      // LiveKit retries 5xx; so does this delivery, and counts what it saw.
      if (status < 500) break;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  return statuses;
}

type Row = {
  session_id: string;
  identity: string;
  role: string;
  status: string;
  attended_seconds: number;
  percentage: number;
  is_late: boolean;
  late_minutes: number;
  first_join_at: Date | null;
  last_leave_at: Date | null;
};

/**
 * Compares each class's stored reports with the pure core run over the same webhooks in order.
 * Returns one line per difference (empty when everything matches).
 */
export async function compareWithReference(
  pool: pg.Pool,
  classes: GeneratedClass[],
  timeZone = "Europe/London",
): Promise<string[]> {
  const { rows } = await pool.query<Row>(
    `SELECT session_id, identity, role, status, attended_seconds, percentage, is_late, late_minutes, first_join_at, last_leave_at
     FROM attendance_report WHERE session_id = ANY($1::text[])`,
    [classes.map((c) => c.sessionId)],
  );
  const stored = new Map<string, Map<string, Row>>();
  for (const row of rows) {
    if (!stored.has(row.session_id)) stored.set(row.session_id, new Map());
    stored.get(row.session_id)!.set(row.identity, row);
  }
  const differences: string[] = [];
  for (const c of classes) {
    const roster = [
      { identity: c.plan.teacher.identity, personId: "", role: "teacher" as const },
      ...c.plan.students.map((s) => ({ identity: s.identity, personId: "", role: "student" as const })),
    ];
    const expected = referenceAttendance(c.bodies, { start: c.plan.start, end: c.plan.end, roster, timeZone });
    const actual = stored.get(c.sessionId) ?? new Map<string, Row>();
    const wanted = [...expected.people, ...expected.guests];
    if (actual.size !== wanted.length)
      differences.push(`${c.sessionId}: ${actual.size} reports, expected ${wanted.length}`);
    for (const person of wanted) {
      const row = actual.get(person.identity);
      const got = row && [
        row.role,
        row.status,
        row.attended_seconds,
        row.percentage,
        row.is_late,
        row.late_minutes,
        row.first_join_at?.getTime() ?? null,
        row.last_leave_at?.getTime() ?? null,
      ];
      const want = [
        person.role,
        person.status,
        person.attendedSeconds,
        person.percentage,
        person.isLate,
        person.lateMinutes,
        person.firstJoinAt,
        person.lastLeaveAt,
      ];
      if (JSON.stringify(got) !== JSON.stringify(want))
        differences.push(
          `${c.sessionId} ${person.identity}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
        );
    }
  }
  return differences;
}
