// GET /api/v1/sessions pages through every session with a cursor: `limit` sessions by scheduled
// start, then id; `nextAfter` names the last one, and `after=<nextAfter>` goes on from there, null
// on the last page. Over real HTTP on both databases; the pages expected are worked out by hand from
// the schedule below. The dashboard's sessions page pages the same way ("Older sessions →" under
// Ended and All, newest first; "Later sessions →" under the others), read here through its read model.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listSessionsOverview } from "../lib/sessions/sessions-overview.ts";
import { ZSessionsFilterSchema } from "../lib/sessions/sessions-filter.ts";
import { parseSessionCursor } from "../lib/sessions/session-cursor.ts";
import type { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { classNumbers, linkTo, signInNewAdmin } from "./support/pages.ts";
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
    const other = await callApi(
      backend.baseUrl,
      otherKey,
      "POST",
      "/sessions",
      sessionInput({
        title: "Other",
        scheduledStart: "2026-12-10T10:30:00.000Z",
        scheduledEnd: "2026-12-10T11:00:00.000Z",
      }),
    );
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
    const day = await list(
      `limit=2&from=2026-12-10T00:00:00Z&to=2026-12-11T00:00:00Z&after=${encodeURIComponent(cursorOf("A"))}`,
    );
    expect(day.json.sessions.map((session) => session.title)).toEqual(order.slice(1, 3));
    const rest = await list(
      `limit=2&from=2026-12-10T00:00:00Z&to=2026-12-11T00:00:00Z&after=${encodeURIComponent(day.json.nextAfter!)}`,
    );
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
    const response = await callApi<ErrorBody>(
      backend.baseUrl,
      key,
      "GET",
      `/sessions?after=${encodeURIComponent(after)}`,
    );
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe("validation_failed");
    expect(response.json.error.details).toEqual([
      { path: "after", message: "must be the nextAfter of a previous page" },
    ]);
  });
});

describe.each(backends())("paging the dashboard's sessions list on $name", (backend) => {
  let db: BackendDb;
  let academyId: string;
  const ids = new Map<string, string>();
  // Four ended classes, by hand: Ended lists them newest first, E4 (13:00), E3, E2, E1 (10:00).
  const ENDED: [string, string][] = [
    ["E1", "2026-11-02T10:00:00.000Z"],
    ["E2", "2026-11-02T11:00:00.000Z"],
    ["E3", "2026-11-02T12:00:00.000Z"],
    ["E4", "2026-11-02T13:00:00.000Z"],
  ];
  const NOW = new Date("2026-11-03T09:00:00Z");

  beforeAll(async () => {
    db = connectBackend(backend);
    ({
      academy: { id: academyId },
    } = await seedAcademy(db.prisma, "Dashboard Paging Academy"));
    for (const [title, start] of ENDED) {
      const from = new Date(start);
      const session = await db.prisma.session.create({
        data: {
          academyId,
          type: "quran",
          title,
          roomName: uniqueName("dash-paging"),
          scheduledStart: from,
          scheduledEnd: new Date(from.getTime() + 30 * 60_000),
        },
      });
      ids.set(title, session.id);
    }
  });
  afterAll(() => db?.close());

  const page = (after?: string) =>
    listSessionsOverview(db.prisma, {
      scope: { academyId },
      timeZone: "Europe/London",
      filter: ZSessionsFilterSchema.parse({ view: "ended" }),
      now: NOW,
      limit: 2,
      after: after ? parseSessionCursor(after)! : undefined,
    });

  test("Ended, two to a page: E4 E3, then E2 E1, older each time; the last page has no next", async () => {
    const first = await page();
    expect(first.sessions.map((session) => session.title)).toEqual(["E4", "E3"]);
    expect(first.nextAfter).toBe(`2026-11-02T12:00:00.000Z|${ids.get("E3")}`);
    const second = await page(first.nextAfter!);
    expect(second.sessions.map((session) => session.title)).toEqual(["E2", "E1"]);
    expect(second.nextAfter).toBeNull();
  });
});

describe.each(backends())("the dashboard's sessions page over HTTP on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let cookie: string;
  const tag = uniqueName("pages");
  const HOUR = 3_600_000;
  const FIRST = Date.parse("2026-10-01T00:00:00.000Z");
  // 201 classes of October 2026, one an hour, all ended: "Class 000" at 00:00 on 1 October to
  // "Class 200". All lists them newest first: the first page Class 200 down to Class 001 (200), the
  // next one Class 000 alone.
  const title = (n: number) => `${tag} Class ${String(n).padStart(3, "0")}`;

  beforeAll(async () => {
    db = connectBackend(backend);
    const { academy } = await seedAcademy(db.prisma, "Pages Academy");
    await db.prisma.session.createMany({
      data: Array.from({ length: 201 }, (_, n) => ({
        id: `${tag}-${String(n).padStart(3, "0")}`,
        academyId: academy.id,
        type: "academic" as const,
        title: title(n),
        roomName: `${tag}-room`,
        scheduledStart: new Date(FIRST + n * HOUR),
        scheduledEnd: new Date(FIRST + n * HOUR + 45 * 60_000),
      })),
    });
    ({ client, cookie } = await signInNewAdmin(db.prisma, academy.id, backend.baseUrl));
  });
  afterAll(() => db?.close());

  const shown = (html: string) => classNumbers(html, tag);

  test("All shows 200, then 'Older sessions' goes on to the one left, which links back to the newest", async () => {
    const first = await client.request("/sessions?view=all", { cookie });
    expect(first.status).toBe(200);
    expect(new Set(shown(first.text))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => 200 - i)));
    const older = linkTo(first.text, "Older sessions");
    expect(older).toBe(`/sessions?view=all&after=${encodeURIComponent(`2026-10-01T01:00:00.000Z|${tag}-001`)}`);
    expect(linkTo(first.text, "← Newest sessions")).toBeNull();

    const second = await client.request(older!, { cookie });
    expect(second.status).toBe(200);
    expect(new Set(shown(second.text))).toEqual(new Set([0]));
    expect(linkTo(second.text, "Older sessions")).toBeNull();
    expect(linkTo(second.text, "← Newest sessions")).toBe("/sessions?view=all");
  });

  test("a malformed cursor on the page is ignored, as a malformed filter is: the first page", async () => {
    const page = await client.request(`/sessions?view=all&after=${encodeURIComponent("not-a-cursor")}`, { cookie });
    expect(page.status).toBe(200);
    expect(shown(page.text)).toContain(200);
    expect(linkTo(page.text, "← Newest sessions")).toBeNull();
  });
});
