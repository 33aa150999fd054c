// The sessions list's "Today" as a teacher means it: the classes of today in the academy's zone,
// and a class still running that began before midnight (a teacher opening Rollcall at 00:05 looks
// for the class she is teaching). Read through the list's own read model on both databases, with
// the clock passed in; the expected lists are worked out by hand from the schedule below.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listSessionsOverview } from "../lib/sessions/sessions-overview.ts";
import { ZSessionsFilterSchema } from "../lib/sessions/sessions-filter.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
// 00:05 on Tuesday 1 December 2026 in London (GMT, so UTC too).
const NOW = new Date("2026-12-01T00:05:00Z");

// Each class: [title, start, minutes]. Expected on "Today" at NOW, by hand:
//   - "Night class" 23:30–00:30 began yesterday and is live now: shown.
//   - "Evening class" 20:00–21:00 yesterday has ended: not today's.
//   - "Morning class" 09:00–10:00 today, upcoming: shown.
//   - "Late tonight" 23:50 today, upcoming: shown.
//   - "Tomorrow" 00:10 on 2 December: not today's.
const SCHEDULE: [string, string, number][] = [
  ["Evening class", "2026-11-30T20:00:00Z", 60],
  ["Night class", "2026-11-30T23:30:00Z", 60],
  ["Morning class", "2026-12-01T09:00:00Z", 60],
  ["Late tonight", "2026-12-01T23:50:00Z", 60],
  ["Tomorrow", "2026-12-02T00:10:00Z", 60],
];

describe.each(backends().map((backend) => [backend.name, backend] as const))(
  "the sessions list's Today on %s",
  (_name, backend) => {
    let db: BackendDb;
    let academyId: string;

    beforeAll(async () => {
      db = connectBackend(backend);
      ({
        academy: { id: academyId },
      } = await seedAcademy(db.prisma, "Today Academy"));
      for (const [title, start, minutes] of SCHEDULE) {
        const from = new Date(start);
        await db.prisma.session.create({
          data: {
            academyId,
            type: "quran",
            title,
            roomName: uniqueName("today-room"),
            scheduledStart: from,
            scheduledEnd: new Date(from.getTime() + minutes * MIN),
          },
        });
      }
    });
    afterAll(() => db?.close());

    const list = async (query: Record<string, string>) =>
      (
        await listSessionsOverview(db.prisma, {
          scope: { academyId },
          timeZone: "Europe/London",
          filter: ZSessionsFilterSchema.parse(query),
          now: NOW,
        })
      ).sessions;

    test("Today at 00:05 holds today's classes and the one still running since before midnight", async () => {
      const today = await list({ view: "today" });
      expect(today.map((session) => [session.title, session.state])).toEqual([
        ["Night class", "live"],
        ["Morning class", "scheduled"],
        ["Late tonight", "scheduled"],
      ]);
    });

    test("a chosen day is that day's classes only: the running class belongs to the day it began", async () => {
      const day = await list({ view: "today", from: "2026-12-01", to: "2026-12-01" });
      expect(day.map((session) => session.title)).toEqual(["Late tonight", "Morning class"]);
      const yesterday = await list({ view: "all", from: "2026-11-30", to: "2026-11-30" });
      expect(yesterday.map((session) => session.title)).toEqual(["Night class", "Evening class"]);
    });

    test("Live lists the running class whatever its day", async () => {
      const live = await list({ view: "live" });
      expect(live.map((session) => session.title)).toEqual(["Night class"]);
    });
  },
);
