import { describe, expect, it } from "vitest";
import { describeNoSessions, effectiveView, sessionsHref, ZSessionsFilterSchema } from "./sessions-filter.ts";

describe("ZSessionsFilterSchema", () => {
  it.each([
    // "All teachers" and "All types" submit empty values: no filter, not "the teacher with id ''".
    [
      { view: "all", type: "", teacher: "", from: "", to: "" },
      { view: "all", type: undefined, teacher: undefined, from: undefined, to: undefined },
    ],
    [{}, { view: "today", type: undefined, teacher: undefined, from: undefined, to: undefined }],
    [
      { view: "ended", type: "quran", teacher: "p1", from: "2026-12-01", to: "2026-12-07" },
      { view: "ended", type: "quran", teacher: "p1", from: "2026-12-01", to: "2026-12-07" },
    ],
    [
      { view: "yesterday", type: "yoga", from: "2026-02-30", to: "soon" },
      { view: "today", type: undefined, teacher: undefined, from: undefined, to: undefined },
    ],
    // An old bookmark's single date is that one day.
    [
      { view: "all", date: "2026-12-03" },
      { view: "all", type: undefined, teacher: undefined, from: "2026-12-03", to: "2026-12-03" },
    ],
    [
      { date: "2026-12-03", from: "2026-12-01" },
      { view: "today", type: undefined, teacher: undefined, from: "2026-12-01", to: undefined },
    ],
  ])("%j → %j", (query, filter) => {
    expect(ZSessionsFilterSchema.parse(query)).toEqual(filter);
  });
});

describe("effectiveView", () => {
  it.each([
    [{ view: "today" }, "today"],
    [{ view: "today", from: "2026-12-03" }, "all"],
    [{ view: "today", to: "2026-12-03" }, "all"],
    [{ view: "ended", from: "2026-12-03" }, "ended"],
  ] as const)("%j → %s", (filter, view) => {
    expect(effectiveView(filter)).toBe(view);
  });
});

describe("sessionsHref", () => {
  const filter = ZSessionsFilterSchema.parse({
    view: "all",
    type: "quran",
    teacher: "p1",
    from: "2026-12-03",
    to: "2026-12-04",
  });
  it.each([
    // A tab keeps the type and teacher, never the dates.
    [{ view: "today", keepDates: false }, "/sessions?type=quran&teacher=p1"],
    [{ view: "ended", keepDates: false }, "/sessions?view=ended&type=quran&teacher=p1"],
    [{ view: "all", keepDates: true }, "/sessions?view=all&type=quran&teacher=p1&from=2026-12-03&to=2026-12-04"],
  ] as const)("%j → %s", (options, href) => {
    expect(sessionsHref(filter, options)).toBe(href);
  });

  it("is the bare list with no filter", () => {
    expect(sessionsHref(ZSessionsFilterSchema.parse({}), { view: "today", keepDates: true })).toBe("/sessions");
  });
});

describe("describeNoSessions", () => {
  const today = "2026-12-10";
  it.each([
    [
      { view: "ended", from: "2026-12-03", to: "2026-12-03" },
      "Ustadha Khadija",
      "No ended classes on 3 Dec for Ustadha Khadija.",
    ],
    [{ view: "today" }, null, "No classes today."],
    [{ view: "today", type: "quran" }, "Mr Daniel Price", "No quran classes today for Mr Daniel Price."],
    [{ view: "live" }, null, "No live classes."],
    [{ view: "upcoming", from: "2026-12-01", to: "2026-12-07" }, null, "No upcoming classes from 1 Dec to 7 Dec."],
    [{ view: "all", type: "academic", from: "2026-12-01" }, null, "No academic classes from 1 Dec."],
    // A range chosen under Today is every class of the range.
    [{ view: "today", from: "2026-12-11", to: "2026-12-11" }, null, "No classes on 11 Dec."],
    [{ view: "all", to: "2027-01-31" }, null, "No classes until 31 Jan 2027."],
  ] as const)("%j for %s → %s", (filter, teacherName, words) => {
    expect(describeNoSessions(filter, { teacherName, today })).toBe(words);
  });
});
