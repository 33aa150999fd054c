import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  calculateAttendance,
  DEFAULT_POLICY,
  RULES_VERSION,
  canonicalJson,
  fingerprintText,
  inputChanges,
  type AttendanceEvent,
  type AttendanceInput,
  type RosterEntry,
} from "../attendance/index.ts";
import { eventAsUsedJson } from "../attendance/fingerprint.ts";
import { fingerprintOf, fingerprintWithInputs, sha256Hex } from "./report-fingerprint.ts";

const minute = 60_000;
const start = Date.UTC(2026, 2, 2, 9, 0);
const end = start + 60 * minute;

const eventArbitrary: fc.Arbitrary<Omit<AttendanceEvent, "id">> = fc.record({
  type: fc.constantFrom("participant_joined", "participant_left", "participant_connection_aborted", "room_finished"),
  time: fc.integer({ min: start - 30 * minute, max: end + 30 * minute }),
  participantSid: fc.option(fc.constantFrom("PA_1", "PA_2", "PA_3")),
  identity: fc.option(fc.constantFrom("t", "s1", "s2", "guest")),
  kind: fc.option(fc.constantFrom("", "STANDARD", "AGENT")),
  isRecorder: fc.option(fc.boolean()),
  participantJoinedAt: fc.option(fc.integer({ min: start - 30 * minute, max: end })),
});

const inputArbitrary = fc
  .record({
    events: fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), eventArbitrary), {
      minLength: 1,
      maxLength: 20,
      selector: ([id]) => id,
    }),
    rosterSize: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ events, rosterSize }): AttendanceInput => ({
    scheduledStart: start,
    scheduledEnd: end,
    policy: DEFAULT_POLICY,
    roster: Array.from({ length: rosterSize }, (_, i): RosterEntry => ({
      identity: i === 0 ? "t" : `s${i}`,
      personId: `p${i}`,
      role: i === 0 ? "teacher" : "student",
    })),
    events: events.map(([id, event]) => ({ id, ...event })),
  }));

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = (seed % 2147483646) + 1;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("a report's fingerprint", () => {
  test("is the SHA-256 hex of the canonical inputs, and names the rules version", () => {
    const input: AttendanceInput = {
      scheduledStart: start,
      scheduledEnd: end,
      policy: DEFAULT_POLICY,
      roster: [],
      events: [],
    };
    expect(fingerprintOf(input)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(input)).toBe(sha256Hex(fingerprintText(input, sha256Hex)));
    expect(JSON.parse(fingerprintText(input, sha256Hex))).toMatchObject({ rulesVersion: RULES_VERSION });
  });

  test("its canonical text, written out by hand: a stored fingerprint changes only when this does (raise RULES_VERSION)", () => {
    const input: AttendanceInput = {
      scheduledStart: start,
      scheduledEnd: end,
      policy: DEFAULT_POLICY,
      roster: [{ identity: "t", personId: "p0", role: "teacher", name: "Ustadh Idris" }],
      events: [
        { id: "EV_1", type: "participant_joined", time: start, participantSid: "PA_1", identity: "t" },
        // Outside the widest range (60 minutes past the scheduled end): not covered.
        { id: "EV_2", type: "room_finished", time: end + 61 * minute },
      ],
    };
    // The webhook as the core reads it, absent fields null, keys sorted; its SHA-256 stands for it.
    const joined =
      '{"identity":"t","isRecorder":false,"kind":null,"participantJoinedAt":null,"participantSid":"PA_1",' +
      '"time":1772442000000,"type":"participant_joined"}';
    const text =
      `{"events":[["EV_1","${sha256Hex(joined)}"]],` +
      '"policy":{"absentBelow":0.1,"graceMinutes":15,"partialAtOrBelow":0.5,"presentAbove":0.75},' +
      '"roster":[{"identity":"t","personId":"p0","role":"teacher"}],"rulesVersion":1,"timeZone":"UTC",' +
      '"window":{"scheduledEnd":1772445600000,"scheduledStart":1772442000000}}';
    expect(fingerprintText(input, sha256Hex)).toBe(text);
    expect(fingerprintOf(input)).toBe(sha256Hex(text));
  });

  test("canonical JSON sorts keys at every depth and leaves out undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  test("the same inputs in any arrival order, with duplicates, give the same fingerprint", () => {
    fc.assert(
      fc.property(inputArbitrary, fc.nat(), fc.array(fc.nat(), { maxLength: 5 }), (input, seed, duplicates) => {
        const noisy = [...input.events, ...duplicates.map((d) => ({ ...input.events[d % input.events.length]! }))];
        const reordered = {
          ...input,
          events: shuffled(noisy, seed),
          roster: shuffled(input.roster, seed + 1),
          policy: { ...DEFAULT_POLICY },
        };
        expect(fingerprintOf(reordered)).toBe(fingerprintOf(input));
      }),
    );
  });

  test("changing any one webhook, the window, the policy or the roster changes it", () => {
    fc.assert(
      fc.property(inputArbitrary, fc.nat(), (input, pick) => {
        const before = fingerprintOf(input);
        const i = pick % input.events.length;
        const event = input.events[i]!;
        const withEvent = (changed: AttendanceEvent) => ({
          ...input,
          events: input.events.map((e, j) => (j === i ? changed : e)),
        });
        expect(fingerprintOf(withEvent({ ...event, time: event.time + 1 }))).not.toBe(before);
        expect(fingerprintOf(withEvent({ ...event, id: `${event.id}'` }))).not.toBe(before);
        expect(fingerprintOf(withEvent({ ...event, identity: `${event.identity ?? ""}x` }))).not.toBe(before);
        expect(fingerprintOf(withEvent({ ...event, isRecorder: !event.isRecorder }))).not.toBe(before);
        expect(fingerprintOf({ ...input, events: [...input.events, { ...event, id: "new" }] })).not.toBe(before);
        expect(fingerprintOf({ ...input, scheduledEnd: end + 1 })).not.toBe(before);
        expect(fingerprintOf({ ...input, scheduledStart: start - minute })).not.toBe(before);
        expect(fingerprintOf({ ...input, policy: { ...DEFAULT_POLICY, graceMinutes: 11 } })).not.toBe(before);
        expect(fingerprintOf({ ...input, policy: { ...DEFAULT_POLICY, presentAbove: 0.81 } })).not.toBe(before);
        expect(fingerprintOf({ ...input, roster: input.roster.slice(1) })).not.toBe(before);
        const [first, ...rest] = input.roster;
        expect(fingerprintOf({ ...input, roster: [{ ...first!, role: "student" }, ...rest] })).not.toBe(before);
        expect(fingerprintOf({ ...input, roster: [{ ...first!, identity: "T" }, ...rest] })).not.toBe(before);
      }),
    );
  });

  test("computing it changes no figure", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const report = calculateAttendance(input);
        fingerprintOf(input);
        expect(calculateAttendance(input)).toEqual(report);
      }),
      { numRuns: 30 },
    );
  });
});

describe("why the inputs differ", () => {
  const base: AttendanceInput = {
    scheduledStart: start,
    scheduledEnd: end,
    policy: DEFAULT_POLICY,
    roster: [{ identity: "t", personId: "p0", role: "teacher" }],
    events: [{ id: "EV_1", type: "participant_joined", time: start, participantSid: "PA_1", identity: "t" }],
  };
  // Computed inside each test, not while collecting: a throw here would fail the file before any
  // test ran, which Stryker's vitest runner counts as no test failing (the mutant "survives").
  const storedOf = () => fingerprintWithInputs(base);

  test("the fingerprint from one pass is fingerprintOf's", () => {
    expect(storedOf().fingerprint).toBe(fingerprintOf(base));
  });

  test("names each input that changed, and none when nothing did", () => {
    const stored = storedOf();
    const reasons = (input: AttendanceInput) => inputChanges(stored.inputs, fingerprintWithInputs(input).inputs);
    expect(reasons(base)).toEqual([]);
    expect(reasons({ ...base, events: [...base.events, { id: "EV_2", type: "room_finished", time: end }] })).toEqual([
      "new webhooks (1)",
    ]);
    expect(reasons({ ...base, events: [] })).toEqual(["1 webhook no longer read"]);
    expect(reasons({ ...base, scheduledEnd: end + minute })).toEqual(["a schedule change"]);
    expect(reasons({ ...base, policy: { ...DEFAULT_POLICY, graceMinutes: 3 } })).toEqual(["a policy change"]);
    expect(reasons({ ...base, roster: [] })).toEqual(["a roster change"]);
    expect(reasons({ ...base, timeZone: "Europe/London" })).toEqual(["a time zone change"]);
    expect(inputChanges({ ...stored.inputs, rulesVersion: 0 }, stored.inputs)).toEqual([
      `a rules version change (0 → ${RULES_VERSION})`,
    ]);
  });
});

describe("the fast canonical texts", () => {
  // The straightforward canonical JSON the fast one replaced: every fingerprint stored before must stay valid.
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  function referenceJson(value: unknown): string {
    if (value === undefined) return "null";
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(referenceJson).join(",")}]`;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodeUnits(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(",")}}`;
  }

  test("canonicalJson gives the reference text of any JSON-like value", () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: false, withNullPrototype: false }), (value) => {
        expect(canonicalJson(value)).toBe(referenceJson(value));
      }),
      { numRuns: 500 },
    );
  });

  test("a webhook's text is the canonical JSON of its fields as used, absent ones as null", () => {
    fc.assert(
      fc.property(eventArbitrary, fc.string(), (event, id) => {
        const used = {
          type: event.type,
          time: event.time,
          participantSid: event.participantSid ?? null,
          identity: event.identity ?? null,
          kind: event.kind ?? null,
          isRecorder: Boolean(event.isRecorder),
          participantJoinedAt: event.participantJoinedAt ?? null,
        };
        expect(eventAsUsedJson({ id, ...event })).toBe(referenceJson(used));
      }),
      { numRuns: 500 },
    );
  });
});
