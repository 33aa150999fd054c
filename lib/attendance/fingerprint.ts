import { dedupeEvents, eventsWithin, widestEventRange } from "./events.ts";
import type { AttendanceEvent, AttendanceInput } from "./types.ts";

/**
 * The version of the rules this core implements. Raise it with any change to ATTENDANCE_RULES.md or
 * to a function here that can move a figure: every report's fingerprint then changes, so a stored
 * report calculated under the old rules is known to be so.
 */
export const RULES_VERSION = 1;

// Code-unit order, not a locale's: the same on every machine.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A hash of a string as lowercase hex (SHA-256 in the product); passed in, so the core stays free of I/O. */
export type HashText = (text: string) => string;

/** JSON with every object's keys sorted: one text per value, whatever order its keys were built in. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => byCodeUnits(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** A webhook as the core reads it: the fields of AttendanceEvent, absent ones as null (decision 8's defaults). */
function eventAsUsed(event: AttendanceEvent) {
  return {
    type: event.type,
    time: event.time,
    participantSid: event.participantSid ?? null,
    identity: event.identity ?? null,
    kind: event.kind ?? null,
    isRecorder: Boolean(event.isRecorder),
    participantJoinedAt: event.participantJoinedAt ?? null,
  };
}

/**
 * The canonical text of everything a session's calculation reads: the rules version, the scheduled
 * window, the policy, the roster (identities, person ids, roles), the time zone of the explanations,
 * and the webhooks that can matter to the session (rules section 1's widest range, one per id,
 * decision 10) as their ids in order, each with the hash of its fields as used. The arrival order of
 * the webhooks and of the roster never changes it; any of these inputs changing does.
 */
export function fingerprintText(input: AttendanceInput, hash: HashText): string {
  const events = dedupeEvents(eventsWithin(input.events, widestEventRange(input)))
    .sort((a, b) => byCodeUnits(a.id, b.id))
    .map((event) => [event.id, hash(canonicalJson(eventAsUsed(event)))]);
  const roster = input.roster
    .map((entry) => ({ identity: entry.identity, personId: entry.personId, role: entry.role }))
    .map(canonicalJson)
    .sort(byCodeUnits)
    .map((text) => JSON.parse(text) as unknown);
  return canonicalJson({
    rulesVersion: RULES_VERSION,
    window: { scheduledStart: input.scheduledStart, scheduledEnd: input.scheduledEnd },
    policy: input.policy,
    roster,
    timeZone: input.timeZone ?? "UTC",
    events,
  });
}

/** The fingerprint of a session's calculation: the hash of its fingerprintText. */
export function reportFingerprint(input: AttendanceInput, hash: HashText): string {
  return hash(fingerprintText(input, hash));
}
