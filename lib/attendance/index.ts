// The pure attendance core: ATTENDANCE_RULES.md as functions. No I/O, no framework, no clock.
export type {
  AttendanceEvent,
  AttendanceInput,
  AttendancePolicy,
  AttendanceStatus,
  ClosedBy,
  ConnectionInterval,
  ConnectionSource,
  OpenedBy,
  TracedInterval,
  Interval,
  PersonAttendance,
  ReportRole,
  RoomFinish,
  RosterEntry,
  Schedule,
  SessionAttendance,
  SessionType,
} from "./types.ts";
export { DEFAULT_POLICY, resolvePolicy, validatePolicy } from "./policy.ts";
export { isCountedParticipant } from "./participants.ts";
export {
  dedupeEvents,
  eventsWithin,
  sessionEventRange,
  widestEventRange,
  PREPARATION_MS,
  RECONCILIATION_MS,
} from "./events.ts";
export { resolveWindow, teacherOf, type AttendanceWindow } from "./window.ts";
export {
  clippedLength,
  closeConnections,
  foldConnections,
  mergeIntervals,
  openConnectionRule,
  type FoldedConnection,
} from "./intervals.ts";
export { arrivalTime, decideStatus, lateness, percentageOf, type StatusDecision } from "./status.ts";
export { explainAttendance, explainedPercentage, formatAttendance, formatDuration } from "./explain.ts";
export { isReconciled, sessionState, SESSION_STATES, type SessionState } from "./lifecycle.ts";
export { calculateAttendance, foldSession, type SessionFold } from "./calculate-attendance.ts";
export { ROLE_ORDER } from "./types.ts";
export { connectionOrigins, traceIntervals, type ConnectionOrigin } from "./provenance.ts";
export {
  canonicalJson,
  fingerprintInputs,
  fingerprintInputsJson,
  fingerprintText,
  inputChanges,
  reportFingerprint,
  RULES_VERSION,
  storedInputsOf,
  type FingerprintInputs,
  type HashText,
  type StoredInputs,
} from "./fingerprint.ts";
