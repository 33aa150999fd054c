// The fingerprint's contract (fingerprint.ts, README "Reproducible reports"): which inputs it covers,
// in which canonical text, and what it says when they changed. Expected texts are written out by
// hand from that contract. A class 01:00–02:00 on 1 January 1970 keeps every time a small number:
// its widest range of webhooks is 0 (60 min before) to 10,800,000 ms (60 min after), bounds included.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  canonicalJson,
  fingerprintInputs,
  fingerprintInputsJson,
  fingerprintText,
  inputChanges,
  reportFingerprint,
  storedInputsOf,
  type StoredInputs,
} from "./fingerprint.ts";
import { DEFAULT_POLICY } from "./policy.ts";
import type { AttendanceEvent, AttendanceInput } from "./types.ts";

// A stand-in hash that shows what it was given, so the text behind each hash can be read.
const hash = (text: string) => `<${text}>`;

const HOUR = 3_600_000;
const input = (events: AttendanceEvent[], extra: Partial<AttendanceInput> = {}): AttendanceInput => ({
  scheduledStart: HOUR,
  scheduledEnd: 2 * HOUR,
  policy: DEFAULT_POLICY,
  roster: [
    { identity: "t1", personId: "pt", role: "teacher", name: "Ustadha Khadija" },
    { identity: "s1", personId: "p1", role: "student", name: "Aisha" },
  ],
  events,
  ...extra,
});

const join: AttendanceEvent = {
  id: "E1",
  type: "participant_joined",
  time: HOUR,
  participantSid: "PA",
  identity: "s1",
};
const finished: AttendanceEvent = { id: "E2", type: "room_finished", time: 3 * HOUR };
// A phone dial-in's leave at the range's first instant, every field given.
const leave: AttendanceEvent = {
  id: "E10",
  type: "participant_left",
  time: 0,
  participantSid: "PB",
  identity: "s1",
  kind: "SIP",
  isRecorder: true,
  participantJoinedAt: 1000,
};

describe("fingerprintText: the inputs a calculation reads, as canonical JSON", () => {
  test("written out by hand: keys sorted, webhooks by id in code-unit order, absent fields null, names left out", () => {
    const events = [
      finished,
      { ...join }, // a duplicate of one id counts once
      leave,
      join,
      { ...join, id: "E9", time: -1 }, // 1 ms before the range: not read
      { ...join, id: "E0", time: 3 * HOUR + 1 }, // 1 ms after it: not read
    ];
    const used = {
      E1: '{"identity":"s1","isRecorder":false,"kind":null,"participantJoinedAt":null,"participantSid":"PA","time":3600000,"type":"participant_joined"}',
      E10: '{"identity":"s1","isRecorder":true,"kind":"SIP","participantJoinedAt":1000,"participantSid":"PB","time":0,"type":"participant_left"}',
      E2: '{"identity":null,"isRecorder":false,"kind":null,"participantJoinedAt":null,"participantSid":null,"time":10800000,"type":"room_finished"}',
    };
    const hashed = (id: keyof typeof used) => `["${id}",${JSON.stringify(`<${used[id]}>`)}]`;
    const text =
      `{"events":[${hashed("E1")},${hashed("E10")},${hashed("E2")}],` +
      `"policy":{"absentBelow":0.1,"graceMinutes":15,"partialAtOrBelow":0.5,"presentAbove":0.75},` +
      `"roster":[{"identity":"s1","personId":"p1","role":"student"},{"identity":"t1","personId":"pt","role":"teacher"}],` +
      `"rulesVersion":1,"timeZone":"UTC","window":{"scheduledEnd":7200000,"scheduledStart":3600000}}`;
    expect(fingerprintText(input(events), hash)).toBe(text);
    expect(reportFingerprint(input(events), hash)).toBe(`<${text}>`);
    expect(storedInputsOf(fingerprintInputs(input(events), hash)).webhookIds).toEqual(["E1", "E10", "E2"]);
  });

  test("the explanations' time zone is covered, and no zone is UTC", () => {
    const zone = (timeZone?: string) => JSON.parse(fingerprintText(input([join], { timeZone }), hash)).timeZone;
    expect(zone()).toBe("UTC");
    expect(zone("Asia/Karachi")).toBe("Asia/Karachi");
    expect(fingerprintText(input([join]), hash)).toBe(fingerprintText(input([join], { timeZone: "UTC" }), hash));
  });

  // A webhook as the core reads it: a field left out and the same field null are one webhook (LiveKit
  // leaves out defaults), as are no recorder flag and `false`; any value that is read is another.
  test.each<[string, Partial<AttendanceEvent>, "same" | "changed"]>([
    ["no participant sid, or null", { participantSid: null }, "same"],
    ["no identity, or null", { identity: null }, "same"],
    ["no kind, or null", { kind: null }, "same"],
    ["no recorder flag, or false", { isRecorder: false }, "same"],
    ["no recorder flag, or null", { isRecorder: null }, "same"],
    ["no joinedAt, or null", { participantJoinedAt: null }, "same"],
    ["a kind given", { kind: "AGENT" }, "changed"],
    ["a recorder", { isRecorder: true }, "changed"],
    ["a joinedAt given", { participantJoinedAt: 0 }, "changed"],
    ["another sid", { participantSid: "PZ" }, "changed"],
  ])("%s → %s", (_name, fields, expected) => {
    const bare: AttendanceEvent = { id: "E5", type: "participant_left", time: HOUR };
    const same = fingerprintText(input([{ ...bare, ...fields }]), hash) === fingerprintText(input([bare]), hash);
    expect(same ? "same" : "changed").toBe(expected);
  });

  test("the inputs' text written out field by field is canonicalJson's, whatever the strings and numbers hold", () => {
    const text = fc.string({ unit: "binary", maxLength: 12 });
    const number = fc.oneof(fc.integer(), fc.double());
    fc.assert(
      fc.property(
        fc.record({
          rulesVersion: fc.integer(),
          window: fc.record({ scheduledStart: number, scheduledEnd: number }),
          policy: fc.record({
            graceMinutes: number,
            absentBelow: number,
            partialAtOrBelow: number,
            presentAbove: number,
          }),
          roster: fc.array(fc.record({ identity: text, personId: text, role: text }), { maxLength: 4 }),
          timeZone: text,
          events: fc.array(fc.tuple(text, text), { maxLength: 4 }),
        }),
        (inputs) => fingerprintInputsJson(inputs) === canonicalJson(inputs),
      ),
      { numRuns: 2_000 },
    );
  });

  test("canonical JSON of values JSON itself writes as null", () => {
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([undefined, null, 1])).toBe("[null,null,1]");
    expect(canonicalJson({ a: undefined })).toBe("{}");
    expect(canonicalJson('say "hi"')).toBe('"say \\"hi\\""');
  });
});

describe("inputChanges: why a stored report's inputs differ from the log's now, in words", () => {
  const stored: StoredInputs = {
    rulesVersion: 1,
    window: { scheduledStart: HOUR, scheduledEnd: 2 * HOUR },
    policy: DEFAULT_POLICY,
    roster: [{ identity: "s1", personId: "p1", role: "student" }],
    timeZone: "UTC",
    webhookIds: ["E1", "E2", "E3"],
  };
  test.each<[string, Partial<StoredInputs>, string[]]>([
    ["nothing kept changed (only a webhook's fields could have)", {}, []],
    ["the same webhooks in another order", { webhookIds: ["E3", "E1", "E2"] }, []],
    ["one new webhook", { webhookIds: ["E1", "E2", "E3", "E4"] }, ["new webhooks (1)"]],
    ["two new webhooks", { webhookIds: ["E0", "E1", "E2", "E3", "E4"] }, ["new webhooks (2)"]],
    ["one no longer read", { webhookIds: ["E1", "E3"] }, ["1 webhook no longer read"]],
    ["two no longer read", { webhookIds: ["E2"] }, ["2 webhooks no longer read"]],
    ["one replaced by another", { webhookIds: ["E1", "E2", "E9"] }, ["new webhooks (1)", "1 webhook no longer read"]],
    ["the end moved", { window: { scheduledStart: HOUR, scheduledEnd: 2 * HOUR + 1 } }, ["a schedule change"]],
    ["the same window built in another key order", { window: { scheduledEnd: 2 * HOUR, scheduledStart: HOUR } }, []],
    ["a threshold", { policy: { ...DEFAULT_POLICY, absentBelow: 0.2 } }, ["a policy change"]],
    ["a role", { roster: [{ identity: "s1", personId: "p1", role: "teacher" }] }, ["a roster change"]],
    ["the zone", { timeZone: "Europe/London" }, ["a time zone change"]],
    ["the rules", { rulesVersion: 2 }, ["a rules version change (1 → 2)"]],
    [
      "everything at once, in a fixed order",
      {
        rulesVersion: 2,
        webhookIds: ["E4"],
        window: { scheduledStart: 0, scheduledEnd: 2 * HOUR },
        policy: { ...DEFAULT_POLICY, graceMinutes: 5 },
        roster: [],
        timeZone: "Asia/Karachi",
      },
      [
        "a rules version change (1 → 2)",
        "new webhooks (1)",
        "3 webhooks no longer read",
        "a schedule change",
        "a policy change",
        "a roster change",
        "a time zone change",
      ],
    ],
  ])("%s", (_name, now, reasons) => {
    expect(inputChanges(stored, { ...stored, ...now })).toEqual(reasons);
  });
});
