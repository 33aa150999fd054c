// GET /api/v1/sessions pages through every session with a cursor: `limit` sessions by scheduled
// start, then id; `nextAfter` names the last one, and `after=<nextAfter>` goes on from there, null
// on the last page. Over real HTTP on both databases; the pages expected are worked out by hand from
// the schedule below.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { callApi, seedAcademy, sessionInput, uniqueName } from "./support/fixtures.ts";

interface ListBody {
  sessions: { id: string; title: string; scheduledStart: string; status: string }[];
  nextAfter: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

// Five classes of one academy, created out of order; B1 and B2 start at the same minute, so the
// id decides between them. By hand, in list order: A (09:00), then B1 and B2 (10:00, by id), then
// C (11:00), then D (12:00 the next day).
const SCHEDULE: [string, string][] = [
  ["C", "2026-12-10T11:00:00.000Z"],
  ["A", "2026-12-10T09:00:00.000Z"],
  ["D", "2026-12-11T12:00:00.000Z"],
  ["B1", "2026-12-10T10:00:00.000Z"],
  ["B2", "2026-12-10T10:00:00.000Z"],
];

describe.each(backends())("paging the sessions list on $name", (backend) => {
  let db: BackendDb;
  let key: string;
  const ids = new Map<string, string>();
  /** The titles in list order: B1 and B2 by their ids, the only thing not known before creating them. */
  let order: string[];

  const list = (query: string) => callApi<ListBody>(backend.baseUrl, key, "GET", `/sessions?${query}`);
  const cursorOf = (title: string) => `${SCHEDULE.find(([name]) => name === title)![1]}|${ids.get(title)}`;

  beforeAll(async () => {
    db = connectBackend(backend);
    key = (await seedAcademy(db.prisma, "Paging Academy")).key;
    // Another academy's class in the same hours must never appear.
    const otherKey = (await seedAcademy(db.prisma, "Other Academy")).key;
    const other = await callApi(backend.baseUrl, otherKey, "POST", "/sessions", sessionInput({ title: "Other", scheduledStart: "2026-12-10T10:30:00.000Z", scheduledEnd: "2026-12-10T11:00:00.000Z" }));
    expect(other.status).toBe(201);
    for (const [title, start] of SCHEDULE) {
      const end = new Date(new Date(start).getTime() + 45 * 60_000).toISOString();
      const created = await callApi<{ session: { id: string } }>(
        backend.baseUrl,
        key,
        "POST",
        "/sessions",
        sessionInput({ title, roomName: uniqueName(`paging-${title}`), scheduledStart: start, scheduledEnd: end }),
      );
      expect(created.status).toBe(201);
      ids.set(title, created.json.session.id);
    }
    order = ["A", ...(ids.get("B1")! < ids.get("B2")! ? ["B1", "B2"] : ["B2", "B1"]), "C", "D"];
  });
  afterAll(() => db?.close());

  test("two at a time: three pages, each going on after the last of the one before, the last one's nextAfter null", async () => {
    const first = await list("limit=2");
    expect(first.status).toBe(200);
    expect(first.json.sessions.map((session) => session.title)).toEqual(order.slice(0, 2));
    expect(first.json.nextAfter).toBe(cursorOf(order[1]!));

    const second = await list(`limit=2&after=${encodeURIComponent(first.json.nextAfter!)}`);
    expect(second.status).toBe(200);
    expect(second.json.sessions.map((session) => session.title)).toEqual(order.slice(2, 4));
    expect(second.json.nextAfter).toBe(cursorOf("C"));

    const third = await list(`limit=2&after=${encodeURIComponent(second.json.nextAfter!)}`);
    expect(third.status).toBe(200);
    expect(third.json.sessions.map((session) => session.title)).toEqual(["D"]);
    expect(third.json.nextAfter).toBeNull();
  });

  test("a last page that is exactly full has no next page; one past the end is empty", async () => {
    const all = await list("limit=5");
    expect(all.json.sessions.map((session) => session.title)).toEqual(order);
    expect(all.json.nextAfter).toBeNull();
    const four = await list(`limit=4`);
    expect(four.json.nextAfter).toBe(cursorOf("C"));
    const past = await list(`after=${encodeURIComponent(cursorOf("D"))}`);
    expect(past.status).toBe(200);
    expect(past.json).toEqual({ sessions: [], nextAfter: null });
  });

  test("the cursor goes on between two classes of the same minute, and keeps the other filters", async () => {
    // After the first of the 10:00 pair: the second one of it, then C.
    const afterTie = await list(`limit=2&after=${encodeURIComponent(cursorOf(order[1]!))}`);
    expect(afterTie.json.sessions.map((session) => session.title)).toEqual([order[2], "C"]);
    // Only 10 December: A, B1, B2, C; after A, two of them, then the third.
    const day = await list(`limit=2&from=2026-12-10T00:00:00Z&to=2026-12-11T00:00:00Z&after=${encodeURIComponent(cursorOf("A"))}`);
    expect(day.json.sessions.map((session) => session.title)).toEqual(order.slice(1, 3));
    const rest = await list(`limit=2&from=2026-12-10T00:00:00Z&to=2026-12-11T00:00:00Z&after=${encodeURIComponent(day.json.nextAfter!)}`);
    expect(rest.json).toMatchObject({ nextAfter: null });
    expect(rest.json.sessions.map((session) => session.title)).toEqual(["C"]);
  });

  test.each([
    ["not a cursor", "abc"],
    ["no id", "2026-12-10T09:00:00.000Z|"],
    ["a time without milliseconds", "2026-12-10T09:00:00Z|x"],
    ["a day that does not exist", "2026-02-30T09:00:00.000Z|x"],
    ["an empty cursor", ""],
  ])("a malformed cursor (%s) is a 422 naming `after`, never the first page again", async (_name, after) => {
    const response = await callApi<ErrorBody>(backend.baseUrl, key, "GET", `/sessions?after=${encodeURIComponent(after)}`);
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe("validation_failed");
    expect(response.json.error.details).toEqual([{ path: "after", message: "must be the nextAfter of a previous page" }]);
  });
});
