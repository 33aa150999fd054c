import type { AttendancePolicy, AttendanceStatus, Interval } from "./types.ts";

const MINUTE = 60_000;

export interface StatusDecision {
  ratio: number;
  percentage: number;
  status: AttendanceStatus;
  isLate: boolean;
  lateMinutes: number;
}

/**
 * Rules section 6: the first moment inside the window at which the person is present, the earliest
 * max(start, windowStart) over the intervals that end after windowStart and start before windowEnd.
 * Someone connected since the preparation time arrives at the start; a visit that ended at or
 * before the start is no arrival.
 */
export function arrivalTime(intervals: readonly Interval[], windowStart: number, windowEnd: number): number | null {
  let arrival: number | null = null;
  for (const { start, end } of intervals) {
    if (end > windowStart && start < windowEnd) {
      const at = Math.max(start, windowStart);
      if (arrival === null || at < arrival) arrival = at;
    }
  }
  return arrival;
}

/**
 * Rules section 6: late when the arrival is after the start plus the grace period (exactly at it is
 * on time), by whole minutes from the start, floored. The report decides with it after the class,
 * and the live view while it runs, so a late marker never disagrees with the late badge.
 */
export function lateness(
  arrival: number | null,
  windowStart: number,
  graceMinutes: number,
): { isLate: boolean; lateMinutes: number } {
  const isLate = arrival !== null && arrival > windowStart + graceMinutes * MINUTE;
  return { isLate, lateMinutes: isLate ? Math.floor((arrival - windowStart) / MINUTE) : 0 };
}

/** Rules section 6: percentage = min(100, ratio × 100), half-up to one decimal, in integer arithmetic (441 s of 3,600 is 12.3, not a float's 12.2). */
export function percentageOf(attendedSeconds: number, windowMs: number): number {
  const tenths = Math.floor((2_000_000 * attendedSeconds + windowMs) / (2 * windowMs));
  return Math.min(1000, tenths) / 10;
}

/** Rules section 6. `attendedSeconds` is already whole (floored); the ratio is exact. */
export function decideStatus({
  attendedSeconds,
  windowMs,
  arrival,
  windowStart,
  policy,
}: {
  attendedSeconds: number;
  windowMs: number;
  arrival: number | null;
  windowStart: number;
  policy: AttendancePolicy;
}): StatusDecision {
  const ratio = (attendedSeconds * 1000) / windowMs;
  const { isLate, lateMinutes } = lateness(arrival, windowStart, policy.graceMinutes);

  let status: AttendanceStatus;
  // "also: no interval inside the window": absent even under a policy whose absentBelow is 0.
  if (arrival === null || ratio < policy.absentBelow) status = "absent";
  else if (ratio <= policy.partialAtOrBelow) status = "partial";
  else if (ratio > policy.presentAbove) status = "present";
  else if (isLate) status = "late";
  else status = "present";
  return { ratio, percentage: percentageOf(attendedSeconds, windowMs), status, isLate, lateMinutes };
}
