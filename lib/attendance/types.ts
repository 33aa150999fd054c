export type SessionType = "quran" | "academic" | "interactive";
export type AttendanceStatus = "present" | "late" | "partial" | "absent";
export type ReportRole = "student" | "teacher" | "guest";

/** The grace period and the three thresholds of ATTENDANCE_RULES.md section 6. */
export interface AttendancePolicy {
  graceMinutes: number;
  /** ratio < absentBelow → absent */
  absentBelow: number;
  /** ratio <= partialAtOrBelow → partial */
  partialAtOrBelow: number;
  /** ratio > presentAbove → present, even if late */
  presentAbove: number;
}

/** A webhook as the ingest layer normalized it; times are epoch milliseconds. */
export interface AttendanceEvent {
  id: string;
  type: string;
  /** Event time per rules section 2. */
  time: number;
  participantSid?: string | null;
  identity?: string | null;
  /** LiveKit kind name; missing, null or "" is STANDARD. */
  kind?: string | null;
  isRecorder?: boolean | null;
  /** participant.joinedAt[Ms] carried by a left/aborted webhook. */
  participantJoinedAt?: number | null;
}

export interface RosterEntry {
  identity: string;
  personId: string;
  role: "student" | "teacher";
  name?: string;
}

export interface AttendanceInput {
  scheduledStart: number;
  scheduledEnd: number;
  policy: AttendancePolicy;
  roster: RosterEntry[];
  /** Any order, duplicates allowed. */
  events: AttendanceEvent[];
  /** IANA zone for the clock times in explanations; default UTC. */
  timeZone?: string;
}

export interface Interval {
  start: number;
  end: number;
}

export interface PersonAttendance {
  identity: string;
  personId: string | null;
  role: ReportRole;
  attendedSeconds: number;
  ratio: number;
  percentage: number;
  status: AttendanceStatus;
  isLate: boolean;
  lateMinutes: number;
  firstJoinAt: number | null;
  lastLeaveAt: number | null;
  /** Merged (union) presence intervals, unclipped, sorted. */
  intervals: Interval[];
  connectionCount: number;
  policy: AttendancePolicy;
  explanation: string;
}

export interface SessionAttendance {
  windowStart: number;
  windowEnd: number;
  sessionSeconds: number;
  endedEarly: boolean;
  roomFinishedAt: number | null;
  /** Every roster entry, the teacher first, then by identity. */
  people: PersonAttendance[];
  /** Counted identities not on the roster, by identity. */
  guests: PersonAttendance[];
}
