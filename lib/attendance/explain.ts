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

const percent = (value: number) => `${value} %`;
const ratioPercent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;

export interface ExplanationFacts {
  status: AttendanceStatus;
  attendedSeconds: number;
  sessionSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
  firstJoin: number | null;
  hasIntervals: boolean;
  endedEarlyAt: number | null;
  policy: AttendancePolicy;
  timeZone: string;
}

/** One line a teacher can check against the rules: what decided the status, with the numbers. */
export function explainAttendance(facts: ExplanationFacts): string {
  const { status, policy, timeZone } = facts;
  const attended = `attended ${Math.floor(facts.attendedSeconds / 60)} of ${Math.floor(facts.sessionSeconds / 60)} min = ${percent(facts.percentage)}`;
  const joined = facts.firstJoin === null ? "" : `first joined ${clock(facts.firstJoin, timeZone)}, ${facts.lateMinutes} min after the start`;
  const early = facts.endedEarlyAt === null ? "" : `; class ended early at ${clock(facts.endedEarlyAt, timeZone)}`;
  let line: string;
  if (!facts.hasIntervals) line = "absent: never joined";
  else if (status === "absent") line = `absent: ${attended} (below ${ratioPercent(policy.absentBelow)})`;
  else if (status === "partial") line = `partial: ${attended} (${ratioPercent(policy.partialAtOrBelow)} or less)${facts.isLate ? `; ${joined}` : ""}`;
  else if (status === "late") line = `late: ${joined}; grace ${policy.graceMinutes} min; ${attended}`;
  else if (facts.isLate) line = `present although late (${joined}): ${attended} (more than ${ratioPercent(policy.presentAbove)})`;
  else line = `present: on time, ${attended}`;
  return line + early;
}
