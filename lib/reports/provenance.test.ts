// How report rows store and read provenance, and the words a teacher reads; values by hand.
import { describe, expect, test } from "vitest";
import {
  describeSource,
  plainIntervals,
  provenanceEventIds,
  readProvenance,
  storedIntervalsJson,
  type ProvenanceSource,
} from "./provenance.ts";
import type { TracedInterval } from "../attendance/index.ts";

const T = (clock: string) => `2026-11-20T${clock}:00.000Z`;
const ms = (clock: string) => Date.parse(T(clock));
const joinedLeft: ProvenanceSource = {
  sid: "PA_a",
  start: T("10:20"),
  end: T("11:00"),
  openedBy: "joined",
  openEventId: "EV_1",
  closedBy: "left",
  closeEventId: "EV_2",
};

describe("stored intervals", () => {
  const stored: unknown = JSON.parse(
    storedIntervalsJson([
      {
        start: ms("10:20"),
        end: ms("11:00"),
        sources: [{ ...joinedLeft, start: ms("10:20"), end: ms("11:00") }],
      },
    ]),
  );
  test("keep the figures' intervals and, inside each, its sources", () => {
    expect(stored).toEqual([{ start: T("10:20"), end: T("11:00"), sources: [joinedLeft] }]);
    expect(plainIntervals(stored)).toEqual([{ start: T("10:20"), end: T("11:00") }]);
    expect(readProvenance(stored)).toEqual([
      { start: T("10:20"), end: T("11:00"), merged: false, sources: [joinedLeft] },
    ]);
  });
  test("are valid JSON whatever the ids hold, with times to the millisecond", () => {
    const odd = {
      sid: 'PA_"quoted"\\back\nline\u2028',
      openedBy: "join_recovered" as const,
      openEventId: "EV_\t",
      closedBy: "window_end" as const,
      closeEventId: null,
    };
    const traced: TracedInterval[] = [
      {
        start: ms("10:20"),
        end: ms("11:10"),
        sources: [
          { ...joinedLeft, start: ms("10:20"), end: ms("11:00") },
          { ...odd, start: ms("10:50") + 7, end: ms("11:10") },
        ],
      },
      { start: ms("11:30"), end: ms("11:31"), sources: [] },
    ];
    expect(storedIntervalsJson([])).toBe("[]");
    expect(JSON.parse(storedIntervalsJson(traced))).toEqual([
      {
        start: T("10:20"),
        end: T("11:10"),
        sources: [joinedLeft, { ...odd, start: "2026-11-20T10:50:00.007Z", end: T("11:10") }],
      },
      { start: T("11:30"), end: T("11:31"), sources: [] },
    ]);
  });
  test("a row from before provenance was kept reads as null; a row with no interval as none", () => {
    expect(readProvenance([{ start: T("10:20"), end: T("11:00") }])).toBeNull();
    expect(readProvenance([])).toEqual([]);
  });
  test("the ids behind intervals, each once; a window-end close adds none", () => {
    const windowEnd = { ...joinedLeft, sid: "PA_b", openEventId: "EV_3", closedBy: "window_end", closeEventId: null };
    const intervals = readProvenance([
      { start: T("10:20"), end: T("11:00"), sources: [joinedLeft, windowEnd] },
      { start: T("10:20"), end: T("11:00"), sources: [joinedLeft] },
    ] as unknown)!;
    expect(intervals[0]!.merged).toBe(true);
    expect(provenanceEventIds(intervals)).toEqual(["EV_1", "EV_2", "EV_3"]);
  });
});

test.each<[string, Partial<ProvenanceSource>, string]>([
  ["joined, left", {}, "joined 10:20 (webhook EV_1) → left 11:00 (webhook EV_2)"],
  [
    "a recovered join",
    { openedBy: "join_recovered", openEventId: "EV_2" },
    "join recovered from the leave's joinedAt 10:20 (webhook EV_2) → left 11:00 (webhook EV_2)",
  ],
  [
    "room_finished",
    { closedBy: "room_finished", closeEventId: "EV_F" },
    "joined 10:20 (webhook EV_1) → closed by room_finished 11:00 (webhook EV_F)",
  ],
  [
    "the window end",
    { closedBy: "window_end", closeEventId: null },
    "joined 10:20 (webhook EV_1) → closed at the window end 11:00 (no webhook)",
  ],
  ["an abort", { closedBy: "aborted" }, "joined 10:20 (webhook EV_1) → connection aborted 11:00 (webhook EV_2)"],
])("a connection %s is described in words", (_name, change, words) => {
  expect(describeSource({ ...joinedLeft, ...change }, "UTC")).toBe(words);
});
