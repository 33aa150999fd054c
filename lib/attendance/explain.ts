import { percentageOf } from "./status.ts";
import type { AttendancePolicy, AttendanceStatus } from "./types.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();
function clock(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
    formatters.set(timeZone, format);
  }
  return format.format(ms);
}

/**
 * Decision 11: a duration in whole minutes and seconds, never rounded, so it always agrees with the
 * seconds the status was decided on: "59 min 40 s", "45 min", "0 s".
 */
export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "59 min 40 s of 60 min": what a report's figures mean, in the same words everywhere. */
export function formatAttendance(attendedSeconds: number, sessionSeconds: number): string {
  return `${formatDuration(attendedSeconds)} of ${formatDuration(sessionSeconds)}`;
}

const trimmed = (value: number) => `${value} %`;
const ratioPercent = (ratio: number) => `${Math.round(ratio * 100_000) / 1000} %`;

/** Whether two ratios lie on the same side of (or on) every threshold. A loop: it runs for every report. */
function sameSides(a: number, b: number, thresholds: readonly number[]): boolean {
  for (const threshold of thresholds) if (Math.sign(a - threshold) !== Math.sign(b - threshold)) return false;
  return true;
}

/**
 * The percentage as the explanation writes it: the report's one-decimal figure, unless that rounding
 * lands on or across a threshold the exact ratio does not (359 s of 3,600 rounds to 10.0 % but is
 * under 10 %), or on 0 % or 100 % when the seconds are neither (3,599 s of 3,600 rounds to 100.0 %);
 * then as many decimals as it takes to keep the same side ("9.97 %", "99.97 %").
 */
export function explainedPercentage(attendedSeconds: number, windowMs: number, policy: AttendancePolicy): string {
  const ratio = (attendedSeconds * 1000) / windowMs;
  // The policy's thresholds, and "none" and "all": 4,589 s of 4,591 is not "100 %".
  const thresholds = [0, policy.absentBelow, policy.partialAtOrBelow, policy.presentAbove, 1];
  const oneDecimal = percentageOf(attendedSeconds, windowMs);
  if (sameSides(oneDecimal / 100, ratio, thresholds)) return trimmed(oneDecimal);
  // Thresholds have at most four decimals (policy.ts) and the window is whole milliseconds, so a
  // ratio on a different side of a threshold differs from it in the twelfth decimal of a percent at
  // the latest.
  for (let decimals = 2; decimals <= 12; decimals++) {
    const scale = 10 ** decimals;
    const exact = ratio * 100;
    // Truncated toward the exact value's side of the threshold, never rounded across it.
    const shown = Math.floor(exact * scale) / scale;
    if (sameSides(shown / 100, ratio, thresholds)) return trimmed(shown);
  }
  return trimmed(Math.floor(ratio * 100 * 1e12) / 1e12);
}

export interface ExplanationFacts {
  status: AttendanceStatus;
  attendedSeconds: number;
  windowMs: number;
  isLate: boolean;
  lateMinutes: number;
  arrival: number | null;
  hasIntervals: boolean;
  endedEarlyAt: number | null;
  policy: AttendancePolicy;
  timeZone: string;
}

// Written only for the lines that name the arrival (a late student's, who has one): formatting a
// time in a zone is the costliest part of an explanation, and most students arrive on time.
function arrivedWords(arrival: number, lateMinutes: number, timeZone: string): string {
  return `arrived ${clock(arrival, timeZone)}, ${lateMinutes} min after the start`;
}

/** One line a teacher can check against the rules: what decided the status, with the numbers. */
export function explainAttendance(facts: ExplanationFacts): string {
  const { status, policy, timeZone } = facts;
  const attended = `attended ${formatAttendance(facts.attendedSeconds, facts.windowMs / 1000)} = ${explainedPercentage(facts.attendedSeconds, facts.windowMs, policy)}`;
  const early = facts.endedEarlyAt === null ? "" : `; class ended early at ${clock(facts.endedEarlyAt, timeZone)}`;
  let line: string;
  if (!facts.hasIntervals) line = "absent: never joined";
  else if (status === "absent") line = `absent: ${attended} (below ${ratioPercent(policy.absentBelow)})`;
  else if (status === "partial")
    line = `partial: ${attended} (${ratioPercent(policy.partialAtOrBelow)} or less)${facts.isLate ? `; ${arrivedWords(facts.arrival!, facts.lateMinutes, timeZone)}` : ""}`;
  else if (status === "late")
    line = `late: ${arrivedWords(facts.arrival!, facts.lateMinutes, timeZone)}; grace ${policy.graceMinutes} min; ${attended}`;
  else if (facts.isLate)
    line = `present although late (${arrivedWords(facts.arrival!, facts.lateMinutes, timeZone)}): ${attended} (more than ${ratioPercent(policy.presentAbove)})`;
  else line = `present: on time, ${attended}`;
  return line + early;
}
