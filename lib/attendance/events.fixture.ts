// Event builders for the core's tests: times are clock times on 2026-11-20, UTC ("10:17",
// "10:17:30" or "10:17:30.250"). Not part of the core (no code imports it but tests).
import { DEFAULT_POLICY } from "./policy.ts";
import type { AttendanceEvent, AttendanceInput, RosterEntry } from "./types.ts";

export const at = (clock: string) => Date.parse(`2026-11-20T${clock.length === 5 ? `${clock}:00` : clock}Z`);

type Extra = Partial<AttendanceEvent>;

/** Builders whose events get ids `<prefix>_1`, `<prefix>_2`, … so two test files never share one. */
export function eventBuilders(prefix: string) {
  let counter = 0;
  const id = () => `${prefix}_${++counter}`;
  return {
    join: (sid: string, clock: string, identity = "s1", extra: Extra = {}): AttendanceEvent => ({
      id: id(),
      type: "participant_joined",
      time: at(clock),
      participantSid: sid,
      identity,
      ...extra,
    }),
    leave: (sid: string, clock: string, identity = "s1", extra: Extra = {}): AttendanceEvent => ({
      id: id(),
      type: "participant_left",
      time: at(clock),
      participantSid: sid,
      identity,
      ...extra,
    }),
    abort: (sid: string, clock: string, identity = "s1", extra: Extra = {}): AttendanceEvent => ({
      id: id(),
      type: "participant_connection_aborted",
      time: at(clock),
      participantSid: sid,
      identity,
      ...extra,
    }),
    finished: (clock: string): AttendanceEvent => ({ id: id(), type: "room_finished", time: at(clock) }),
    started: (clock: string): AttendanceEvent => ({ id: id(), type: "room_started", time: at(clock) }),
  };
}

export const teacher: RosterEntry = { identity: "t1", personId: "pt", role: "teacher" };
export const student: RosterEntry = { identity: "s1", personId: "p1", role: "student" };

/** A class 10:00–11:00 under the default policy; `roster` and the rest can be overridden. */
export function classInput(
  events: AttendanceEvent[],
  roster: RosterEntry[],
  overrides: Partial<AttendanceInput> = {},
): AttendanceInput {
  return {
    scheduledStart: at("10:00"),
    scheduledEnd: at("11:00"),
    policy: DEFAULT_POLICY,
    roster,
    events,
    ...overrides,
  };
}
