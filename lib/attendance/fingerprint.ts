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
  // Loops rather than map/filter/join: this runs for every webhook of every calculation.
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) text += (i ? "," : "") + canonicalJson(value[i]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(byCodeUnits);
  let text = "{";
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    text += `${text.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${text}}`;
}

const json = (value: string | number | null | undefined) => (value == null ? "null" : JSON.stringify(value));

/**
 * A webhook as the core reads it (the fields of AttendanceEvent, absent ones as null: decision 8's
 * defaults), as canonical JSON: the text canonicalJson gives of that object, its keys in code-unit
 * order, written out directly since it is built for every webhook of every calculation.
 */
export function eventAsUsedJson(event: AttendanceEvent): string {
  return (
    `{"identity":${json(event.identity)},"isRecorder":${Boolean(event.isRecorder)},"kind":${json(event.kind)},` +
    `"participantJoinedAt":${json(event.participantJoinedAt)},"participantSid":${json(event.participantSid)},` +
    `"time":${json(event.time)},"type":${json(event.type)}}`
  );
}

/** The inputs of a session's calculation as the fingerprint covers them (see fingerprintText). */
export interface FingerprintInputs {
  rulesVersion: number;
  window: { scheduledStart: number; scheduledEnd: number };
  policy: AttendanceInput["policy"];
  roster: { identity: string; personId: string; role: string }[];
  timeZone: string;
  /** The webhooks by id, each with the hash of its fields as used. */
  events: [string, string][];
}

/**
 * Everything a session's calculation reads, in canonical order: the rules version, the scheduled
 * window, the policy, the roster (identities, person ids, roles), the time zone of the explanations,
 * and the webhooks that can matter to the session (rules section 1's widest range, one per id,
 * decision 10) as their ids in order, each with the hash of its fields as used. The arrival order of
 * the webhooks and of the roster never changes it; any of these inputs changing does.
 */
export function fingerprintInputs(input: AttendanceInput, hash: HashText): FingerprintInputs {
  const events = dedupeEvents(eventsWithin(input.events, widestEventRange(input)))
    .sort((a, b) => byCodeUnits(a.id, b.id))
    .map((event): [string, string] => [event.id, hash(eventAsUsedJson(event))]);
  // Sorted by canonical text, each entry's text made once.
  const roster = input.roster
    .map((entry) => {
      const used = { identity: entry.identity, personId: entry.personId, role: entry.role };
      return { used, text: rosterEntryJson(used) };
    })
    .sort((a, b) => byCodeUnits(a.text, b.text))
    .map(({ used }) => used);
  return {
    rulesVersion: RULES_VERSION,
    window: { scheduledStart: input.scheduledStart, scheduledEnd: input.scheduledEnd },
    policy: input.policy,
    roster,
    timeZone: input.timeZone ?? "UTC",
    events,
  };
}

type RosterUsed = FingerprintInputs["roster"][number];

/** canonicalJson of a roster entry as the fingerprint covers it, written out (keys already in order). */
function rosterEntryJson(used: RosterUsed): string {
  return `{"identity":${JSON.stringify(used.identity)},"personId":${JSON.stringify(used.personId)},"role":${JSON.stringify(used.role)}}`;
}

/**
 * canonicalJson(inputs), written out field by field in canonicalJson's key order: the same text,
 * without sorting the keys of every roster entry and walking every webhook's pair, which made the
 * generic walk a third of a large calculation's fingerprinting.
 */
export function fingerprintInputsJson(inputs: FingerprintInputs): string {
  let events = "";
  for (let i = 0; i < inputs.events.length; i++) {
    const [id, digest] = inputs.events[i]!;
    events += `${i ? "," : ""}[${JSON.stringify(id)},${JSON.stringify(digest)}]`;
  }
  let roster = "";
  for (let i = 0; i < inputs.roster.length; i++) roster += `${i ? "," : ""}${rosterEntryJson(inputs.roster[i]!)}`;
  const { scheduledEnd, scheduledStart } = inputs.window;
  return (
    `{"events":[${events}],"policy":${canonicalJson(inputs.policy)},"roster":[${roster}],` +
    `"rulesVersion":${canonicalJson(inputs.rulesVersion)},"timeZone":${canonicalJson(inputs.timeZone)},` +
    `"window":{"scheduledEnd":${canonicalJson(scheduledEnd)},"scheduledStart":${canonicalJson(scheduledStart)}}}`
  );
}

/** The canonical text of a calculation's inputs (fingerprintInputs as canonical JSON). */
export function fingerprintText(input: AttendanceInput, hash: HashText): string {
  return fingerprintInputsJson(fingerprintInputs(input, hash));
}

/** The fingerprint of a session's calculation: the hash of its fingerprintText. */
export function reportFingerprint(input: AttendanceInput, hash: HashText): string {
  return hash(fingerprintText(input, hash));
}

/**
 * What is kept beside a stored report to say later why its inputs changed: everything but the
 * webhooks' hashes (a webhook in the log never changes, so its id names it).
 */
export interface StoredInputs extends Omit<FingerprintInputs, "events"> {
  webhookIds: string[];
}

export function storedInputsOf({ events, ...rest }: FingerprintInputs): StoredInputs {
  return { ...rest, webhookIds: events.map(([id]) => id) };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * Why a stored report's inputs differ from the log's now, in words ("new webhooks (2)", "a policy
 * change", ...); empty when the parts kept agree (then only a webhook's fields could differ).
 */
export function inputChanges(stored: StoredInputs, now: StoredInputs): string[] {
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const before = new Set(stored.webhookIds);
  const after = new Set(now.webhookIds);
  const added = now.webhookIds.filter((id) => !before.has(id)).length;
  const gone = stored.webhookIds.filter((id) => !after.has(id)).length;
  const reasons: string[] = [];
  if (stored.rulesVersion !== now.rulesVersion)
    reasons.push(`a rules version change (${stored.rulesVersion} → ${now.rulesVersion})`);
  if (added) reasons.push(`new webhooks (${added})`);
  if (gone) reasons.push(`${plural(gone, "webhook")} no longer read`);
  if (!same(stored.window, now.window)) reasons.push("a schedule change");
  if (!same(stored.policy, now.policy)) reasons.push("a policy change");
  if (!same(stored.roster, now.roster)) reasons.push("a roster change");
  if (stored.timeZone !== now.timeZone) reasons.push("a time zone change");
  return reasons;
}
