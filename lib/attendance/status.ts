import type { AttendancePolicy, AttendanceStatus } from "./types.ts";

const MINUTE = 60_000;

export interface StatusDecision {
  ratio: number;
  percentage: number;
  status: AttendanceStatus;
  isLate: boolean;
  lateMinutes: number;
}

/**
 * Rules section 6. `attendedSeconds` is already whole (floored); the ratio is exact. The percentage
 * is rounded half-up to one decimal in integer arithmetic, so 12.25 % is 12.3 %, not a float's 12.2.
 */
export function decideStatus({
  attendedSeconds,
  windowMs,
  firstJoin,
  windowStart,
  policy,
}: {
  attendedSeconds: number;
  windowMs: number;
  firstJoin: number | null;
  windowStart: number;
  policy: AttendancePolicy;
}): StatusDecision {
  const ratio = (attendedSeconds * 1000) / windowMs;
  const tenths = Math.floor((2_000_000 * attendedSeconds + windowMs) / (2 * windowMs));
  const percentage = Math.min(1000, tenths) / 10;
  const isLate = firstJoin !== null && firstJoin > windowStart + policy.graceMinutes * MINUTE;
  const lateMinutes = isLate ? Math.floor((firstJoin! - windowStart) / MINUTE) : 0;

  let status: AttendanceStatus;
  if (ratio < policy.absentBelow) status = "absent";
  else if (ratio <= policy.partialAtOrBelow) status = "partial";
  else if (ratio > policy.presentAbove) status = "present";
  else if (isLate) status = "late";
  else status = "present";
  return { ratio, percentage, status, isLate, lateMinutes };
}
