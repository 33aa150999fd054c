import { resolvePolicy, type AttendancePolicy } from "../attendance/index.ts";
import { SESSION_TYPES } from "../sessions/session-types.ts";

export type SessionTypeName = (typeof SESSION_TYPES)[number];

/** The fields a session type sets apart from the academy's defaults (a field left out keeps the default). */
export type TypeOverrides = Partial<AttendancePolicy>;

/**
 * One version of an academy's policy as stored (policy_version): the defaults and each type's
 * overrides. The policy a session is calculated with is `policyForType(values, session.type)`.
 */
export interface PolicyValues {
  defaults: AttendancePolicy;
  types: Partial<Record<SessionTypeName, TypeOverrides>>;
}

/** The policy a session of `type` gets under these values: the defaults, overridden field by field. */
export function policyForType(values: PolicyValues, type: string): AttendancePolicy {
  return resolvePolicy(values.defaults, values.types[type as SessionTypeName]);
}

/**
 * The values in their one stored form: every default, and for each type only the fields it sets
 * (a null or missing field is no override; a type that sets none is left out), keys in a fixed
 * order, so two equal policies are stored, compared and fingerprinted alike.
 */
export function canonicalPolicyValues(
  defaults: AttendancePolicy,
  types: Partial<Record<SessionTypeName, Partial<Record<keyof AttendancePolicy, number | null>> | null>>,
): PolicyValues {
  const fields = ["graceMinutes", "absentBelow", "partialAtOrBelow", "presentAbove"] as const;
  const canonicalTypes: PolicyValues["types"] = {};
  for (const type of SESSION_TYPES) {
    const set: TypeOverrides = {};
    for (const field of fields) {
      const value = types[type]?.[field];
      if (typeof value === "number") set[field] = value;
    }
    if (Object.keys(set).length) canonicalTypes[type] = set;
  }
  return {
    defaults: {
      graceMinutes: defaults.graceMinutes,
      absentBelow: defaults.absentBelow,
      partialAtOrBelow: defaults.partialAtOrBelow,
      presentAbove: defaults.presentAbove,
    },
    types: canonicalTypes,
  };
}
