/**
 * An independent reference implementation of docs/ATTENDANCE_RULES.md and the decisions D1–D13 of
 * lib/attendance/README.md: the test oracle the pure core is compared with. It shares nothing with
 * lib/attendance but its types, and it deliberately works differently from the core:
 *
 * - attended time is not an interval merge: every boundary instant of a person (interval starts and
 *   ends, window start and end) is collected into one sorted list, and each elementary segment
 *   between two neighbouring instants inside the window counts when any one closed interval covers
 *   it;
 * - the window is decided by literally walking the early `room_finished` events in time order and
 *   asking, for each, whether the teacher started a connection after it;
 * - ratios, thresholds and the percentage are compared and rounded in BigInt arithmetic (a
 *   threshold is read as the decimal it prints as, so 0.1 is exactly one tenth).
 *
 * Simple and slow on purpose: quadratic loops, no early exits that need an argument.
 */
import type { AttendanceEvent, AttendanceInput, AttendancePolicy, RosterEntry } from "../../lib/attendance/types.ts";
import { parseWebhookBody } from "../../lib/livekit/parse-webhook.ts";

export interface ReferencePerson {
  identity: string;
  role: "teacher" | "student" | "guest";
  status: "present" | "late" | "partial" | "absent";
  attendedSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
  firstJoinAt: number | null;
  lastLeaveAt: number | null;
}

export interface ReferenceResult {
  windowStart: number;
  windowEnd: number;
  sessionSeconds: number;
  /** Every roster entry, the teacher first, then by identity. */
  people: ReferencePerson[];
  /** Counted identities not on the roster, by identity. */
  guests: ReferencePerson[];
}

/** The defaults of rules section 6, written out here rather than imported from the core. */
export const REFERENCE_DEFAULT_POLICY: AttendancePolicy = {
  graceMinutes: 15,
  absentBelow: 0.1,
  partialAtOrBelow: 0.5,
  presentAbove: 0.75,
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A connection (one participant sid) as D1 folds it; start null = it never opened. */
interface Connection {
  sid: string;
  identity: string;
  start: number | null;
  /** Earliest participant_left / participant_connection_aborted, null when none. */
  close: number | null;
  /** D8: every event of it is STANDARD or SIP and none carries the recorder grant. */
  counted: boolean;
}

interface Span {
  start: number;
  end: number;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function smallest(values: number[]): number | null {
  let best: number | null = null;
  for (const value of values) if (best === null || value < best) best = value;
  return best;
}

function largest(values: number[]): number | null {
  let best: number | null = null;
  for (const value of values) if (best === null || value > best) best = value;
  return best;
}

/** D8: missing, null or "" is STANDARD; only STANDARD and SIP count, compared exactly. */
function kindCounts(event: AttendanceEvent): boolean {
  const kind = event.kind;
  const standardOrSip = kind === undefined || kind === null || kind === "" || kind === "STANDARD" || kind === "SIP";
  return standardOrSip && event.isRecorder !== true;
}

function isParticipantEvent(event: AttendanceEvent): boolean {
  return (
    event.type === "participant_joined" ||
    event.type === "participant_left" ||
    event.type === "participant_connection_aborted"
  );
}

/** A canonical text of an event, so that "which duplicate is kept" (D10) never depends on the order. */
function canonical(event: AttendanceEvent): string {
  return JSON.stringify([
    event.id,
    event.type,
    event.time,
    event.participantSid ?? null,
    event.identity ?? null,
    event.kind ?? null,
    event.isRecorder ?? null,
    event.participantJoinedAt ?? null,
  ]);
}

/** D10: one event per id; if two ever differed, the one with the smallest canonical text is kept. */
function oneEventPerId(events: AttendanceEvent[]): AttendanceEvent[] {
  const kept = new Map<string, AttendanceEvent>();
  for (const event of events) {
    const before = kept.get(event.id);
    if (before === undefined || canonical(event) < canonical(before)) kept.set(event.id, event);
  }
  return [...kept.values()];
}

/** D1 and D8: the connections of a set of events, each folded from all of its events at once. */
function connectionsOf(events: AttendanceEvent[]): Connection[] {
  const sids: string[] = [];
  for (const event of events) {
    if (!isParticipantEvent(event) || !event.participantSid || !event.identity) continue;
    if (!sids.includes(event.participantSid)) sids.push(event.participantSid);
  }
  const connections: Connection[] = [];
  for (const sid of sids) {
    const own = events.filter((event) => isParticipantEvent(event) && event.participantSid === sid && !!event.identity);
    const joins = own.filter((event) => event.type === "participant_joined").map((event) => event.time);
    const carriedJoins: number[] = [];
    for (const event of own) {
      if (
        event.type === "participant_left" &&
        event.participantJoinedAt !== null &&
        event.participantJoinedAt !== undefined
      ) {
        carriedJoins.push(event.participantJoinedAt);
      }
    }
    const closes = own
      .filter((event) => event.type === "participant_left" || event.type === "participant_connection_aborted")
      .map((event) => event.time);
    // An aborted connection without a join never opens (D1): only a join or a *left* carrying
    // joinedAt gives a start.
    const start = joins.length > 0 ? smallest(joins) : smallest(carriedJoins);
    // The identity of a sid: LiveKit never reuses a sid for another identity; should two events
    // disagree anyway, the smallest identity is taken so the result does not depend on order.
    const identity = own.map((event) => event.identity as string).sort(byCodeUnits)[0] as string;
    connections.push({ sid, identity, start, close: smallest(closes), counted: own.every(kindCounts) });
  }
  return connections;
}

/**
 * Rules section 5 and D4, read literally: take the room_finished events strictly between the
 * scheduled start and end in time order; the first one after which the teacher did not start a
 * counted connection (strictly after it, strictly before the scheduled end) ends the window.
 */
function decideWindowEnd(input: AttendanceInput, uniqueEvents: AttendanceEvent[]): number {
  const start = input.scheduledStart;
  const end = input.scheduledEnd;
  // D5: decided from the room's events from 60 min before the start to 60 min after the scheduled end.
  const deciding = uniqueEvents.filter((event) => event.time >= start - HOUR && event.time <= end + HOUR);
  const finishes = deciding
    .filter((event) => event.type === "room_finished" && event.time > start && event.time < end)
    .map((event) => event.time)
    .sort((a, b) => a - b);
  const teachers = input.roster.filter((entry) => entry.role === "teacher").map((entry) => entry.identity);
  const teacherStarts: number[] = [];
  for (const connection of connectionsOf(deciding)) {
    if (connection.counted && connection.start !== null && teachers.includes(connection.identity))
      teacherStarts.push(connection.start);
  }
  for (const finish of finishes) {
    let resumed = false;
    for (const teacherStart of teacherStarts) {
      if (teacherStart > finish && teacherStart < end) resumed = true;
    }
    if (!resumed) return finish;
  }
  return end;
}

/** D3: where a connection without a leave closes. */
function closeOfOpen(start: number, roomFinishes: number[], windowEnd: number): number {
  const firstFinish = smallest(roomFinishes.filter((finish) => finish >= start));
  const close = firstFinish === null ? windowEnd : Math.min(firstFinish, windowEnd);
  return Math.max(close, start);
}

/** Length in ms of the part of the window covered by at least one span, by elementary segments. */
function coveredMs(spans: Span[], windowStart: number, windowEnd: number): number {
  const instants = new Set<number>([windowStart, windowEnd]);
  for (const span of spans) {
    if (span.start >= windowStart && span.start <= windowEnd) instants.add(span.start);
    if (span.end >= windowStart && span.end <= windowEnd) instants.add(span.end);
  }
  const sorted = [...instants].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i] as number;
    const to = sorted[i + 1] as number;
    let covered = false;
    for (const span of spans) {
      if (span.start <= from && span.end >= to) covered = true;
    }
    if (covered) total += to - from;
  }
  return total;
}

/** A finite number as the exact fraction of the decimal it prints as ("0.1" → 1/10, "1e-7" → 1/10^7). */
function decimalFraction(value: number): { num: bigint; den: bigint } {
  if (!Number.isFinite(value)) throw new Error(`threshold ${value} is not finite`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!match) throw new Error(`cannot read ${value} as a decimal`);
  const [, sign, whole, fraction = "", exponentText = "0"] = match;
  let num = BigInt(`${whole}${fraction}`);
  let den = 10n ** BigInt(fraction.length);
  const exponent = Number(exponentText);
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den *= 10n ** BigInt(-exponent);
  return { num: sign === "-" ? -num : num, den };
}

function integer(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number of ms, got ${value}`);
  return BigInt(value);
}

function personResult(
  identity: string,
  role: ReferencePerson["role"],
  spans: Span[],
  windowStart: number,
  windowEnd: number,
  policy: AttendancePolicy,
): ReferencePerson {
  const attendedSeconds = Math.floor(coveredMs(spans, windowStart, windowEnd) / SECOND);

  // ratio = attendedSeconds / ((windowEnd - windowStart) / 1000) = attendedSeconds * 1000 / windowMs.
  const ratioNum = BigInt(attendedSeconds) * 1000n;
  const ratioDen = integer(windowEnd, "windowEnd") - integer(windowStart, "windowStart");
  const below = (threshold: number) => {
    const t = decimalFraction(threshold);
    return ratioNum * t.den < t.num * ratioDen;
  };
  const atOrBelow = (threshold: number) => {
    const t = decimalFraction(threshold);
    return ratioNum * t.den <= t.num * ratioDen;
  };

  // Section 6 / D6: the arrival.
  const arrivals: number[] = [];
  for (const span of spans) {
    if (span.end > windowStart && span.start < windowEnd) arrivals.push(Math.max(span.start, windowStart));
  }
  const arrival = smallest(arrivals);
  const isLate = arrival !== null && arrival > windowStart + policy.graceMinutes * MINUTE;
  const lateMinutes = isLate ? Math.floor((arrival - windowStart) / MINUTE) : 0;

  let status: ReferencePerson["status"];
  if (below(policy.absentBelow) || arrival === null) status = "absent";
  else if (atOrBelow(policy.partialAtOrBelow)) status = "partial";
  else if (!atOrBelow(policy.presentAbove)) status = "present";
  else if (isLate) status = "late";
  else status = "present";

  // percentage = min(100, ratio * 100) half-up to one decimal, in tenths of a percent:
  // floor(ratio * 1000 + 1/2) = floor((2 * ratioNum * 1000 + ratioDen) / (2 * ratioDen)).
  let tenths = (2n * ratioNum * 1000n + ratioDen) / (2n * ratioDen);
  if (tenths > 1000n) tenths = 1000n;
  const percentage = Number(tenths) / 10;

  return {
    identity,
    role,
    status,
    attendedSeconds,
    percentage,
    isLate,
    lateMinutes,
    firstJoinAt: smallest(spans.map((span) => span.start)),
    lastLeaveAt: largest(spans.map((span) => span.end)),
  };
}

/** The rules applied to one session: the oracle. */
export function referenceCalculate(input: AttendanceInput): ReferenceResult {
  const windowStart = input.scheduledStart;
  const unique = oneEventPerId(input.events);
  const windowEnd = decideWindowEnd(input, unique);
  if (!(windowEnd > windowStart)) throw new Error("the window must be longer than 0 (rules section 5)");

  // D5: the session's events, both bounds included.
  const sessionEvents = unique.filter((event) => event.time >= windowStart - HOUR && event.time <= windowEnd + HOUR);
  const roomFinishes = sessionEvents.filter((event) => event.type === "room_finished").map((event) => event.time);

  const spansByIdentity = new Map<string, Span[]>();
  for (const connection of connectionsOf(sessionEvents)) {
    if (!connection.counted || connection.start === null) continue;
    const start = connection.start;
    const end =
      connection.close === null ? closeOfOpen(start, roomFinishes, windowEnd) : Math.max(connection.close, start); // D3, D2
    const spans = spansByIdentity.get(connection.identity) ?? [];
    spans.push({ start, end });
    spansByIdentity.set(connection.identity, spans);
  }

  const roster: RosterEntry[] = [...input.roster].sort((a, b) => {
    if (a.role !== b.role) return a.role === "teacher" ? -1 : 1;
    return byCodeUnits(a.identity, b.identity);
  });
  const people = roster.map((entry) =>
    personResult(
      entry.identity,
      entry.role,
      spansByIdentity.get(entry.identity) ?? [],
      windowStart,
      windowEnd,
      input.policy,
    ),
  );
  const onRoster = new Set(input.roster.map((entry) => entry.identity));
  const guests = [...spansByIdentity.keys()]
    .filter((identity) => !onRoster.has(identity))
    .sort(byCodeUnits)
    .map((identity) =>
      personResult(identity, "guest", spansByIdentity.get(identity) ?? [], windowStart, windowEnd, input.policy),
    );

  return { windowStart, windowEnd, sessionSeconds: (windowEnd - windowStart) / SECOND, people, guests };
}

/** The oracle for webhook bodies (as LiveKit sends them), parsed the way ingest parses them. */
export function referenceAttendance(
  bodies: string[],
  {
    start,
    end,
    roster,
    timeZone,
    policy = REFERENCE_DEFAULT_POLICY,
  }: { start: number; end: number; roster: RosterEntry[]; timeZone?: string; policy?: AttendancePolicy },
): ReferenceResult {
  const events: AttendanceEvent[] = bodies.map((body) => {
    const event = parseWebhookBody(body, new Date(0));
    return {
      id: event.id,
      type: event.event,
      time: event.eventTime.getTime(),
      participantSid: event.participantSid,
      identity: event.identity,
      kind: event.participantKind,
      isRecorder: event.isRecorder,
      participantJoinedAt: event.participantJoinedAt?.getTime() ?? null,
    };
  });
  return referenceCalculate({ scheduledStart: start, scheduledEnd: end, policy, roster, events, timeZone });
}
