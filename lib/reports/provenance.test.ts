// How report rows store and read provenance, and the words a teacher reads; values by hand.
import { describe, expect, test } from "vitest";
import {
  describeSource,
  plainIntervals,
  provenanceEventIds,
  readProvenance,
  storedIntervals,
  type ProvenanceSource,
} from "./provenance.ts";

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
  const stored = storedIntervals([
    {
      start: ms("10:20"),
      end: ms("11:00"),
      sources: [{ ...joinedLeft, start: ms("10:20"), end: ms("11:00") }],
    },
  ]);
  test("keep the figures' intervals and, inside each, its sources", () => {
    expect(JSON.parse(JSON.stringify(stored))).toEqual([{ start: T("10:20"), end: T("11:00"), sources: [joinedLeft] }]);
    expect(plainIntervals(stored)).toEqual([{ start: T("10:20"), end: T("11:00") }]);
    expect(readProvenance(stored)).toEqual([
      { start: T("10:20"), end: T("11:00"), merged: false, sources: [joinedLeft] },
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
