import type { AttendancePolicy } from "./types.ts";

export const DEFAULT_POLICY: AttendancePolicy = Object.freeze({
  graceMinutes: 15,
  absentBelow: 0.1,
  partialAtOrBelow: 0.5,
  presentAbove: 0.75,
});

type PolicyOverride = Partial<Record<keyof AttendancePolicy, number | null>> | null | undefined;

/** The academy's policy, overridden field by field by its session type's (a null field keeps the academy's). */
export function resolvePolicy(academy: AttendancePolicy, typeOverride?: PolicyOverride): AttendancePolicy {
  const pick = (key: keyof AttendancePolicy) => {
    const value = typeOverride?.[key];
    return typeof value === "number" ? value : academy[key];
  };
  return {
    graceMinutes: pick("graceMinutes"),
    absentBelow: pick("absentBelow"),
    partialAtOrBelow: pick("partialAtOrBelow"),
    presentAbove: pick("presentAbove"),
  };
}

/** Throws a message an admin can act on when a policy could not be applied consistently. */
export function validatePolicy(policy: AttendancePolicy): void {
  const { graceMinutes, absentBelow, partialAtOrBelow, presentAbove } = policy;
  if (!Number.isInteger(graceMinutes) || graceMinutes < 0 || graceMinutes > 240) {
    throw new Error(`The grace period must be a whole number of minutes from 0 to 240 (got ${graceMinutes}).`);
  }
  for (const [name, value] of Object.entries({ absentBelow, partialAtOrBelow, presentAbove })) {
    if (!Number.isFinite(value) || value < 0 || value > 1)
      throw new Error(`${name} must be a ratio from 0 to 1 (got ${value}).`);
    // Whole hundredths of a percent at most (0.3333 is 33.33 %): so an explanation can always write
    // a percentage on the same side of every threshold as the seconds (decision 7).
    if (Math.abs(value * 10_000 - Math.round(value * 10_000)) > 1e-7)
      throw new Error(`${name} must have at most four decimals, e.g. 0.3333 for 33.33 % (got ${value}).`);
  }
  if (!(absentBelow <= partialAtOrBelow && partialAtOrBelow <= presentAbove)) {
    throw new Error(
      `The thresholds must rise: absentBelow (${absentBelow}) <= partialAtOrBelow (${partialAtOrBelow}) <= presentAbove (${presentAbove}).`,
    );
  }
}
