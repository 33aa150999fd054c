// The pure attendance core: ATTENDANCE_RULES.md as functions. No I/O, no framework, no clock.
export type {
  AttendanceEvent,
  AttendanceInput,
  AttendancePolicy,
  AttendanceStatus,
  Interval,
  PersonAttendance,
  ReportRole,
  RosterEntry,
  SessionAttendance,
  SessionType,
} from "./types.ts";
export { DEFAULT_POLICY, resolvePolicy, validatePolicy } from "./policy.ts";
export { isCountedParticipant } from "./participants.ts";
export { dedupeEvents } from "./events.ts";
export { resolveWindow, type AttendanceWindow } from "./window.ts";
export { buildConnectionIntervals, clippedLength, mergeIntervals, type ConnectionInterval } from "./intervals.ts";
export { decideStatus, type StatusDecision } from "./status.ts";
export { explainAttendance } from "./explain.ts";
export { calculateAttendance } from "./calculate-attendance.ts";
