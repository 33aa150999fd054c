// Provenance (decision 14): which webhooks opened and closed each reported interval, and how. The
// expected values are read off the events by hand: a class 10:00–11:00, the student s1.
import { describe, expect, test } from "vitest";
import { calculateAttendance } from "./calculate-attendance.ts";
import { connectionOrigins, traceIntervals } from "./provenance.ts";
import type { AttendanceEvent, ConnectionInterval, ConnectionSource, TracedInterval } from "./types.ts";
import { at, classInput, eventBuilders, student, teacher } from "./events.fixture.ts";

const { join, leave, abort } = eventBuilders("P");
const finished = (clock: string, id: string): AttendanceEvent => ({ id, type: "room_finished", time: at(clock) });

const traced = (events: AttendanceEvent[], identity = "s1") =>
  calculateAttendance(classInput(events, [teacher, student])).provenance.get(identity);

const source = (
  sid: string,
  [start, end]: [string, string],
  opened: [ConnectionSource["openedBy"], string],
  closed: [ConnectionSource["closedBy"], string | null],
): ConnectionSource => ({
  sid,
  start: at(start),
  end: at(end),
  openedBy: opened[0],
  openEventId: opened[1],
  closedBy: closed[0],
  closeEventId: closed[1],
});
const interval = (start: string, end: string, ...sources: ConnectionSource[]): TracedInterval => ({
  start: at(start),
  end: at(end),
  sources,
});

describe("D14 each interval names the webhooks that opened and closed it", () => {
  test.each<[string, AttendanceEvent[], TracedInterval[]]>([
    [
      "joined, left",
      [join("a", "10:05", "s1", { id: "J1" }), leave("a", "10:40", "s1", { id: "L1" })],
      [interval("10:05", "10:40", source("a", ["10:05", "10:40"], ["joined", "J1"], ["left", "L1"]))],
    ],
    [
      "a lost join recovered from the leave's joinedAt: the leave opened and closed it",
      [leave("a", "10:30", "s1", { id: "L1", participantJoinedAt: at("10:10") })],
      [interval("10:10", "10:30", source("a", ["10:10", "10:30"], ["join_recovered", "L1"], ["left", "L1"]))],
    ],
    [
      "no leave, the room finished early (no teacher came back): closed by that room_finished",
      [join("a", "10:00", "s1", { id: "J1" }), finished("10:40", "F1")],
      [interval("10:00", "10:40", source("a", ["10:00", "10:40"], ["joined", "J1"], ["room_finished", "F1"]))],
    ],
    [
      "no leave, no room_finished: closed at the window end, by no webhook",
      [join("a", "10:20", "s1", { id: "J1" })],
      [interval("10:20", "11:00", source("a", ["10:20", "11:00"], ["joined", "J1"], ["window_end", null]))],
    ],
    [
      "an aborted connection that had joined: closed by the abort",
      [join("a", "10:00", "s1", { id: "J1" }), abort("a", "10:20", "s1", { id: "A1" })],
      [interval("10:00", "10:20", source("a", ["10:00", "10:20"], ["joined", "J1"], ["aborted", "A1"]))],
    ],
    [
      "two devices at once: one interval 10:00–10:50 made of both connections, by start",
      [
        join("a", "10:00", "s1", { id: "J1" }),
        join("b", "10:10", "s1", { id: "J2" }),
        leave("b", "10:30", "s1", { id: "L2" }),
        leave("a", "10:50", "s1", { id: "L1" }),
      ],
      [
        interval(
          "10:00",
          "10:50",
          source("a", ["10:00", "10:50"], ["joined", "J1"], ["left", "L1"]),
          source("b", ["10:10", "10:30"], ["joined", "J2"], ["left", "L2"]),
        ),
      ],
    ],
    [
      "a reconnect (leave and join at one instant) touches, so it merges too",
      [
        join("a", "10:00", "s1", { id: "J1" }),
        leave("a", "10:30", "s1", { id: "L1" }),
        join("b", "10:30", "s1", { id: "J2" }),
        leave("b", "10:45", "s1", { id: "L2" }),
      ],
      [
        interval(
          "10:00",
          "10:45",
          source("a", ["10:00", "10:30"], ["joined", "J1"], ["left", "L1"]),
          source("b", ["10:30", "10:45"], ["joined", "J2"], ["left", "L2"]),
        ),
      ],
    ],
    [
      "two visits apart: two intervals, one connection each",
      [
        join("a", "10:00", "s1", { id: "J1" }),
        leave("a", "10:10", "s1", { id: "L1" }),
        join("b", "10:30", "s1", { id: "J2" }),
        leave("b", "10:40", "s1", { id: "L2" }),
      ],
      [
        interval("10:00", "10:10", source("a", ["10:00", "10:10"], ["joined", "J1"], ["left", "L1"])),
        interval("10:30", "10:40", source("b", ["10:30", "10:40"], ["joined", "J2"], ["left", "L2"])),
      ],
    ],
    [
      "a late arrival at 10:20 (late: past 10:15) names the join that made it late",
      [join("a", "10:20", "s1", { id: "J1" }), leave("a", "10:50", "s1", { id: "L1" })],
      [interval("10:20", "10:50", source("a", ["10:20", "10:50"], ["joined", "J1"], ["left", "L1"]))],
    ],
  ])("%s", (_name, events, expected) => {
    expect(traced(events)).toEqual(expected);
    expect(traced([...events].reverse())).toEqual(expected);
  });

  test("D14 a person who never came has no interval to trace", () => {
    expect(traced([join("a", "10:00", "t1", { id: "J1" })])).toEqual([]);
  });

  test("D14 of two webhooks at one instant, the smaller id is named, whatever the arrival order", () => {
    const events = [
      join("a", "10:00", "s1", { id: "J2" }),
      join("a", "10:00", "s1", { id: "J1" }),
      finished("10:40", "F2"),
      finished("10:40", "F1"),
    ];
    const expected = [
      interval("10:00", "10:40", source("a", ["10:00", "10:40"], ["joined", "J1"], ["room_finished", "F1"])),
    ];
    expect(traced(events)).toEqual(expected);
    expect(traced([...events].reverse())).toEqual(expected);
    const leaves = [leave("a", "10:30", "s1", { id: "L2" }), leave("a", "10:30", "s1", { id: "L1" })];
    const closedBy = (list: AttendanceEvent[]) => traced([join("a", "10:00", "s1", { id: "J1" }), ...list])![0]!;
    expect(closedBy(leaves).sources[0]!.closeEventId).toBe("L1");
    expect(closedBy([...leaves].reverse()).sources[0]!.closeEventId).toBe("L1");
  });

  test("D14 a leave and an abort at one instant: the leave closes it, as for the figures", () => {
    const events = [
      join("a", "10:00", "s1", { id: "J1" }),
      abort("a", "10:30", "s1", { id: "A0" }),
      leave("a", "10:30", "s1", { id: "L9" }),
    ];
    const expected = [interval("10:00", "10:30", source("a", ["10:00", "10:30"], ["joined", "J1"], ["left", "L9"]))];
    expect(traced(events)).toEqual(expected);
    expect(traced([...events].reverse())).toEqual(expected);
  });
});

describe("D14 provenance names only the webhook whose time decided", () => {
  test("a connection closed by the room's finish names that room_finished, not another webhook of that instant", () => {
    // The teacher leaves at 10:40 (webhook A0, an id smaller than the finish's) as the room finishes.
    const events = [
      join("t", "10:00", "t1", { id: "J0" }),
      leave("t", "10:40", "t1", { id: "A0" }),
      join("a", "10:00", "s1", { id: "J1" }),
      finished("10:40", "F1"),
    ];
    const expected = [
      interval("10:00", "10:40", source("a", ["10:00", "10:40"], ["joined", "J1"], ["room_finished", "F1"])),
    ];
    expect(traced(events)).toEqual(expected);
    expect(traced([...events].reverse())).toEqual(expected);
  });

  test("of two aborts at one instant, the smaller id is named, whatever the arrival order", () => {
    const events = [
      join("a", "10:00", "s1", { id: "J1" }),
      abort("a", "10:30", "s1", { id: "A1" }),
      abort("a", "10:30", "s1", { id: "A2" }),
    ];
    const expected = [interval("10:00", "10:30", source("a", ["10:00", "10:30"], ["joined", "J1"], ["aborted", "A1"]))];
    expect(traced(events)).toEqual(expected);
    expect(traced([...events].reverse())).toEqual(expected);
  });

  test("a connection that joined and left at one instant, as another ended, is still named in that interval", () => {
    const events = [
      join("a", "10:00", "s1", { id: "J1" }),
      leave("a", "10:30", "s1", { id: "L1" }),
      join("b", "10:30", "s1", { id: "J2" }),
      leave("b", "10:30", "s1", { id: "L2" }),
    ];
    expect(traced(events)).toEqual([
      interval(
        "10:00",
        "10:30",
        source("a", ["10:00", "10:30"], ["joined", "J1"], ["left", "L1"]),
        source("b", ["10:30", "10:30"], ["joined", "J2"], ["left", "L2"]),
      ),
    ]);
  });

  test("a connection still open (the live view's) is traced to the window end, closed by no webhook", () => {
    const open: ConnectionInterval = { sid: "a", start: at("10:20"), end: null, closedBy: null };
    const origins = connectionOrigins(
      [
        {
          sid: "a",
          identity: "s1",
          counted: true,
          start: at("10:20"),
          close: null,
          closedBy: null,
          openedBy: "joined",
          openEventId: "J1",
          closeEventId: null,
        },
      ],
      new Map([["s1", [open]]]),
      [join("a", "10:20", "s1", { id: "J1" })],
    );
    expect(traceIntervals([{ start: at("10:20"), end: at("11:00") }], [open], origins, at("11:00"))).toEqual([
      interval("10:20", "11:00", source("a", ["10:20", "11:00"], ["joined", "J1"], ["window_end", null])),
    ]);
  });
});
