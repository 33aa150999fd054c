import { describe, expect, it } from "vitest";
import { NBSP } from "../words.ts";
import {
  POLICY_FIELDS,
  POLICY_SCOPES,
  policyFieldsInWords,
  policyValueInWords,
  policyValuesInWords,
  readPolicyField,
  readPolicyForm,
  typeOverridesInWords,
} from "./policy-fields.ts";

const [grace, absent, partial, present] = POLICY_FIELDS as [
  (typeof POLICY_FIELDS)[number],
  (typeof POLICY_FIELDS)[number],
  (typeof POLICY_FIELDS)[number],
  (typeof POLICY_FIELDS)[number],
];

describe("readPolicyField: each field in its own words", () => {
  it.each([
    [grace, "15", true, { value: 15 }],
    [grace, "0", true, { value: 0 }],
    [grace, "240", true, { value: 240 }],
    [grace, "241", true, { error: "Grace period must be between 0 and 240 minutes" }],
    [grace, "-1", true, { error: "Grace period must be between 0 and 240 minutes" }],
    [grace, "2.5", true, { error: "Grace period must be a whole number of minutes" }],
    [grace, "", true, { error: "Grace period is required (0 to 240 minutes)" }],
    [grace, "  ", false, { value: null }],
    [absent, "10", true, { value: 0.1 }],
    [absent, "33.33", true, { value: 0.3333 }],
    [absent, "33.333", true, { error: "Absent below may have at most two decimals (e.g. 33.33 %)" }],
    [partial, "100.5", true, { error: "Partial at or below must be between 0 and 100 %" }],
    [present, "abc", true, { error: "Present above must be between 0 and 100 %" }],
    [present, "", true, { error: "Present above is required (0 to 100 %)" }],
  ] as const)("%s: %j → %j", (field, raw, required, expected) => {
    expect(readPolicyField(field, raw, { required })).toEqual(expected);
  });
});

const DEFAULTS = {
  "defaults.graceMinutes": "15",
  "defaults.absentBelow": "10",
  "defaults.partialAtOrBelow": "50",
  "defaults.presentAbove": "75",
};

describe("readPolicyForm", () => {
  it("reads the defaults and each type's overrides as the API takes them (ratios; empty is the default)", () => {
    expect(readPolicyForm({ ...DEFAULTS, "quran.graceMinutes": "5", "academic.presentAbove": "80" })).toEqual({
      errors: {},
      update: {
        defaults: { graceMinutes: 15, absentBelow: 0.1, partialAtOrBelow: 0.5, presentAbove: 0.75 },
        types: {
          quran: { graceMinutes: 5, absentBelow: null, partialAtOrBelow: null, presentAbove: null },
          academic: { graceMinutes: null, absentBelow: null, partialAtOrBelow: null, presentAbove: 0.8 },
          interactive: { graceMinutes: null, absentBelow: null, partialAtOrBelow: null, presentAbove: null },
        },
      },
    });
  });

  it.each([
    [{ "defaults.graceMinutes": "300" }, { "defaults.graceMinutes": "Grace period must be between 0 and 240 minutes" }],
    [{ "quran.absentBelow": "-5" }, { "quran.absentBelow": "Absent below must be between 0 and 100 %" }],
    // The thresholds must rise; the message is on the higher field of the defaults...
    [
      { "defaults.partialAtOrBelow": "5" },
      { "defaults.partialAtOrBelow": "Partial at or below (5 %) must be at least Absent below (10 %)" },
    ],
    // ...and on the field a type sets itself, even the lower one.
    [
      { "interactive.absentBelow": "60" },
      { "interactive.absentBelow": "Partial at or below (50 %) must be at least Absent below (60 %)" },
    ],
    [
      { "academic.presentAbove": "40" },
      { "academic.presentAbove": "Present above (40 %) must be at least Partial at or below (50 %)" },
    ],
  ])("%j → %j", (change, errors) => {
    const result = readPolicyForm({ ...DEFAULTS, ...change });
    expect(result).toEqual({ errors, update: null });
  });
});

describe("the policy's values in words, as the dashboard and the CLI both say them", () => {
  it.each([
    [grace, 15, "15 min"],
    [absent, 0.1, `10${NBSP}%`],
    [partial, 0.3333, `33.33${NBSP}%`],
    [present, 0.75, `75${NBSP}%`],
  ] as const)("%s: %j → %j", (field, value, expected) => {
    expect(policyValueInWords(field, value)).toBe(expected);
  });

  it("names the fields set, in the form's order, and each type that sets its own, in SESSION_TYPES' order", () => {
    expect(policyFieldsInWords({ presentAbove: 0.8, graceMinutes: 10, absentBelow: null })).toBe(
      `Grace period 10 min, Present above 80${NBSP}%`,
    );
    const types = { interactive: { absentBelow: 0.2 }, quran: { graceMinutes: 5 } };
    expect(typeOverridesInWords(types)).toEqual(["quran: Grace period 5 min", `interactive: Absent below 20${NBSP}%`]);
    expect(
      policyValuesInWords({
        defaults: { graceMinutes: 15, absentBelow: 0.1, partialAtOrBelow: 0.5, presentAbove: 0.75 },
        types,
      }),
    ).toEqual([
      `Defaults: Grace period 15 min, Absent below 10${NBSP}%, Partial at or below 50${NBSP}%, Present above 75${NBSP}%`,
      "quran: Grace period 5 min",
      `interactive: Absent below 20${NBSP}%`,
    ]);
  });

  it("scopes the defaults, then the session types", () => {
    expect(POLICY_SCOPES).toEqual(["defaults", "quran", "academic", "interactive"]);
  });
});
