export type SessionType = "quran" | "academic" | "interactive";
export type AttendanceStatus = "present" | "late" | "partial" | "absent";
export type ReportRole = "student" | "teacher" | "guest";

/** Teachers first, then students, then guests: the order of every list of people (report, presence, timeline). */
export const ROLE_ORDER: Record<ReportRole, number> = { teacher: 0, student: 1, guest: 2 };

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

export interface Schedule {
  scheduledStart: number;
  scheduledEnd: number;
}

export interface AttendanceInput extends Schedule {
  policy: AttendancePolicy;
  roster: RosterEntry[];
  /** The room's webhooks around the session, any order, duplicates allowed; the core picks the session's (rules section 1). */
  events: AttendanceEvent[];
  /** IANA zone for the clock times in explanations; default UTC. */
  timeZone?: string;
}

export interface Interval {
  start: number;
  end: number;
}

/** How a connection's interval ended: its own leave or abort, or a rule of section 4. */
export type ClosedBy = "left" | "aborted" | "room_finished" | "window_end";

/** How a connection's interval began: its own join, or a lost join recovered from its leave's joinedAt. */
export type OpenedBy = "joined" | "join_recovered";

/**
 * One connection behind a reported interval, with the webhooks that decided it: the one whose time
 * opened it (its join, or the leave whose joinedAt recovered it) and the one whose time closed it
 * (its leave or abort, or the room_finished); a close at the window end has no webhook.
 */
export interface ConnectionSource {
  sid: string;
  start: number;
  end: number;
  openedBy: OpenedBy;
  openEventId: string;
  closedBy: ClosedBy;
  closeEventId: string | null;
}

/** A merged (union) interval and the connections it is made of; more than one: devices merged. */
export interface TracedInterval extends Interval {
  sources: ConnectionSource[];
}

/** One connection (participant sid) after closing; `end` is null only in the live view (still in the room). */
export interface ConnectionInterval {
  sid: string;
  start: number;
  end: number | null;
  closedBy: ClosedBy | null;
}

export interface PersonAttendance {
  identity: string;
  personId: string | null;
  role: ReportRole;
  attendedSeconds: number;
  ratio: number;
  percentage: number;
  status: AttendanceStatus;
  /** The first moment inside the window at which the person was present (rules section 6). */
  arrivalAt: number | null;
  isLate: boolean;
  lateMinutes: number;
  firstJoinAt: number | null;
  lastLeaveAt: number | null;
  /** Merged (union) presence intervals, unclipped, sorted. */
  intervals: Interval[];
  /** Each connection as closed by the rules, by start. */
  connections: ConnectionInterval[];
  connectionCount: number;
  policy: AttendancePolicy;
  explanation: string;
}

/** An early room_finished and, when the teacher came back before the scheduled end, when. */
export interface RoomFinish {
  at: number;
  resumedAt: number | null;
}

export interface SessionAttendance {
  windowStart: number;
  windowEnd: number;
  sessionSeconds: number;
  endedEarly: boolean;
  /** The room_finished that ended the class early, else null. */
  roomFinishedAt: number | null;
  /** Every room_finished between the scheduled start and end, in order, with the teacher's return. */
  roomFinishes: RoomFinish[];
  /** Every roster entry, the teacher first, then by identity. */
  people: PersonAttendance[];
  /** Counted identities not on the roster, by identity. */
  guests: PersonAttendance[];
  /**
   * By identity (people and guests alike), each person's `intervals` with the connections and
   * webhooks behind them. Kept beside the figures, not in them: webhook ids decide no figure.
   */
  provenance: Map<string, TracedInterval[]>;
}
