// The attendance policy's fields as people see them (names, units, limits, how a value is shown)
// and the form's check, in those words: "Grace period must be between 0 and 240 minutes". The one
// wording of the policy: the dashboard's form and version history and the CLI's policy commands
// all say it from here. Pure and client-safe (no I/O, no "server-only"); the server's schema
// (academy-policy.ts) takes the same limits and says the same names.
import type { AttendancePolicy } from "../attendance/index.ts";
import { SESSION_TYPES } from "../sessions/session-types.ts";
import { NBSP } from "../words.ts";
import type { PolicyValues } from "./policy-values.ts";

export type PolicyField = keyof AttendancePolicy;
/** Where a policy's values are set: the academy's defaults, then each session type's own. */
export const POLICY_SCOPES = ["defaults", ...SESSION_TYPES] as const;
export type PolicyScope = (typeof POLICY_SCOPES)[number];

export interface PolicyFieldInfo {
  key: PolicyField;
  /** The field's name in the form and in every message about it. */
  name: string;
  unit: "minutes" | "%";
  /** Form value × scale = the ratio the policy stores (minutes stay minutes). */
  scale: number;
  max: number;
  step: string;
  hint: string;
}

export const MAX_GRACE_MINUTES = 240;

/** The weeks a preview or an application may look back: a school term and then some. */
export const MAX_POLICY_WEEKS = 52;

export const POLICY_FIELDS: readonly PolicyFieldInfo[] = [
  {
    key: "graceMinutes",
    name: "Grace period",
    unit: "minutes",
    scale: 1,
    max: MAX_GRACE_MINUTES,
    step: "1",
    hint: "joining later than this after the start is late",
  },
  {
    key: "absentBelow",
    name: "Absent below",
    unit: "%",
    scale: 100,
    max: 100,
    step: "0.01",
    hint: "attended share under this is absent",
  },
  {
    key: "partialAtOrBelow",
    name: "Partial at or below",
    unit: "%",
    scale: 100,
    max: 100,
    step: "0.01",
    hint: "at or under this is partial",
  },
  {
    key: "presentAbove",
    name: "Present above",
    unit: "%",
    scale: 100,
    max: 100,
    step: "0.01",
    hint: "over this is present, even when late",
  },
];

/** A value in its field's unit, as the form's input holds it: 15 (minutes), 10 for the ratio 0.1 (%). */
export const valueInFieldUnit = (field: PolicyFieldInfo, value: number) =>
  Math.round(value * field.scale * 1000) / 1000;

/** A value as every view shows it: "15 min", "10 %" (a no-break space before the sign). */
export const policyValueInWords = (field: PolicyFieldInfo, value: number) =>
  `${valueInFieldUnit(field, value)}${field.unit === "%" ? `${NBSP}%` : " min"}`;

/** The fields set, in the form's order: "Grace period 15 min, Absent below 10 %". */
export function policyFieldsInWords(values: Partial<Record<PolicyField, number | null>>): string {
  return POLICY_FIELDS.filter((field) => typeof values[field.key] === "number")
    .map((field) => `${field.name} ${policyValueInWords(field, values[field.key]!)}`)
    .join(", ");
}

/** Each session type that sets its own fields, in words: ["quran: Grace period 10 min"]. */
export const typeOverridesInWords = (types: PolicyValues["types"]): string[] =>
  SESSION_TYPES.filter((type) => types[type]).map((type) => `${type}: ${policyFieldsInWords(types[type]!)}`);

/** A policy version's values, as its history lists them: the defaults, then each type that sets its own. */
export const policyValuesInWords = (values: PolicyValues): string[] => [
  `Defaults: ${policyFieldsInWords(values.defaults)}`,
  ...typeOverridesInWords(values.types),
];

/** The input's label: "Grace period (minutes)". */
export const fieldLabel = (field: PolicyFieldInfo) => `${field.name} (${field.unit})`;
/** The input's name and id: "defaults.graceMinutes", "quran.absentBelow". */
export const inputName = (scope: PolicyScope, key: PolicyField) => `${scope}.${key}`;

const rangeMessage = (field: PolicyFieldInfo) =>
  field.unit === "minutes"
    ? `${field.name} must be between 0 and ${field.max} minutes`
    : `${field.name} must be between 0 and 100 %`;

/** One field's value, or the message that says what is wrong with it; "" is null (a type's "use the default"). */
export function readPolicyField(
  field: PolicyFieldInfo,
  raw: string,
  { required }: { required: boolean },
): { value: number | null } | { error: string } {
  const text = raw.trim();
  if (text === "")
    return required
      ? { error: `${field.name} is required (0 to ${field.max}${field.unit === "%" ? " %" : " minutes"})` }
      : { value: null };
  const number = Number(text);
  if (!Number.isFinite(number) || number < 0 || number > field.max) return { error: rangeMessage(field) };
  if (field.unit === "minutes")
    return Number.isInteger(number) ? { value: number } : { error: `${field.name} must be a whole number of minutes` };
  // The policy keeps ratios to four decimals: hundredths of a percent.
  const hundredths = Math.round(number * 100);
  if (Math.abs(number * 100 - hundredths) > 1e-6)
    return { error: `${field.name} may have at most two decimals (e.g. 33.33 %)` };
  return { value: hundredths / 10_000 };
}

export interface PolicyFormResult {
  /** By input name. */
  errors: Record<string, string>;
  /** The update to send when there are no errors. */
  update: {
    defaults: Partial<AttendancePolicy>;
    types: Record<Exclude<PolicyScope, "defaults">, Partial<Record<PolicyField, number | null>>>;
  } | null;
}

const percentOf = (ratio: number) => `${Math.round(ratio * 10_000) / 100} %`;

/**
 * The policy form's values (by input name) checked in the form's words: each field in its range,
 * then each resulting policy's thresholds rising (absent ≤ partial ≤ present), the message on the
 * field that breaks it.
 */
export function readPolicyForm(values: Record<string, string>): PolicyFormResult {
  const errors: Record<string, string> = {};
  const read = Object.fromEntries(POLICY_SCOPES.map((scope) => [scope, {}])) as Record<
    PolicyScope,
    Partial<Record<PolicyField, number | null>>
  >;
  for (const scope of POLICY_SCOPES) {
    for (const field of POLICY_FIELDS) {
      const name = inputName(scope, field.key);
      const result = readPolicyField(field, values[name] ?? "", { required: scope === "defaults" });
      if ("error" in result) errors[name] = result.error;
      else read[scope][field.key] = result.value;
    }
  }
  const [absent, partial, present] = [POLICY_FIELDS[1]!, POLICY_FIELDS[2]!, POLICY_FIELDS[3]!];
  for (const scope of POLICY_SCOPES) {
    const own = read[scope];
    const value = (key: PolicyField) => own[key] ?? read.defaults[key];
    // The message goes on a field this scope sets itself (a type's override), else the higher one.
    const blame = (lower: PolicyFieldInfo, higher: PolicyFieldInfo) =>
      scope === "defaults" || own[higher.key] != null ? higher : own[lower.key] != null ? lower : null;
    for (const [lower, higher] of [
      [absent, partial],
      [partial, present],
    ] as const) {
      const [low, high] = [value(lower.key), value(higher.key)];
      if (low == null || high == null || low <= high) continue;
      const field = blame(lower, higher);
      const name = field ? inputName(scope, field.key) : null;
      if (name && !errors[name])
        errors[name] = `${higher.name} (${percentOf(high)}) must be at least ${lower.name} (${percentOf(low)})`;
    }
  }
  if (Object.keys(errors).length) return { errors, update: null };
  const { defaults, ...types } = read;
  return { errors, update: { defaults: defaults as Partial<AttendancePolicy>, types } };
}
