import { describe, expect, test } from "vitest";
import { keysetCursor, keysetPage, parseKeysetCursor } from "./keyset-cursor.ts";
import { pageOf, parseSessionCursor } from "../sessions/session-cursor.ts";

describe("keyset cursors", () => {
  test("a cursor names a start to the millisecond and an id, and reads back as written", () => {
    const cursor = keysetCursor({ at: new Date("2026-12-10T10:00:00.000Z"), id: "cm123" });
    expect(cursor).toBe("2026-12-10T10:00:00.000Z|cm123");
    expect(parseKeysetCursor(cursor)).toEqual({ at: new Date("2026-12-10T10:00:00.000Z"), id: "cm123" });
    // A session's cursor is the same, its instant the scheduled start.
    expect(parseSessionCursor(cursor)).toEqual({ scheduledStart: new Date("2026-12-10T10:00:00.000Z"), id: "cm123" });
  });

  test.each([
    ["nothing", ""],
    ["no separator", "2026-12-10T10:00:00.000Z"],
    ["no id", "2026-12-10T10:00:00.000Z|"],
    ["two separators", "2026-12-10T10:00:00.000Z|a|b"],
    ["no milliseconds", "2026-12-10T10:00:00Z|a"],
    ["an offset instead of Z", "2026-12-10T10:00:00.000+01:00|a"],
    ["a day that does not exist", "2026-02-30T10:00:00.000Z|a"],
    ["hour 24", "2026-12-10T24:00:00.000Z|a"],
    ["year 0", "0000-12-10T10:00:00.000Z|a"],
    ["a space in the id", "2026-12-10T10:00:00.000Z|a b"],
    ["a control character in the id", "2026-12-10T10:00:00.000Z|a\u0000"],
    ["an id of 257 characters", `2026-12-10T10:00:00.000Z|${"a".repeat(257)}`],
  ])("refuses %s", (_name, value) => {
    expect(parseKeysetCursor(value)).toBeNull();
    expect(parseSessionCursor(value)).toBeNull();
  });

  test("a page asked for with one row more: the extra row means a next page, after the last row shown", () => {
    const at = (minute: number) => ({ scheduledStart: new Date(Date.UTC(2026, 11, 10, 10, minute)), id: `s${minute}` });
    expect(pageOf([at(1), at(2), at(3)], 2)).toEqual({
      page: [at(1), at(2)],
      nextAfter: "2026-12-10T10:02:00.000Z|s2",
    });
    expect(pageOf([at(1), at(2)], 2)).toEqual({ page: [at(1), at(2)], nextAfter: null });
    expect(pageOf([], 2)).toEqual({ page: [], nextAfter: null });
    const made = (day: number) => ({ madeAt: new Date(Date.UTC(2026, 11, day)), key: `a${day}` });
    const cursorOf = (row: ReturnType<typeof made>) => ({ at: row.madeAt, id: row.key });
    expect(keysetPage([made(3), made(2), made(1)], 2, cursorOf)).toEqual({
      page: [made(3), made(2)],
      next: "2026-12-02T00:00:00.000Z|a2",
    });
    expect(keysetPage([made(3)], 1, cursorOf)).toEqual({ page: [made(3)], next: null });
  });
});

test("the event log's cursors may name a webhook id with a space, which session cursors never have", () => {
  expect(parseKeysetCursor("2026-12-10T10:00:00.000Z|EV a b", { spacesInId: true })).toEqual({
    at: new Date("2026-12-10T10:00:00.000Z"),
    id: "EV a b",
  });
  expect(parseKeysetCursor("2026-12-10T10:00:00.000Z|EV a b")).toBeNull();
});
