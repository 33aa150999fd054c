// The academy's past recalculations with a policy version (policy applications) page by a cursor,
// newest first, instead of stopping silently at a page's worth: the API (`limit`, `before` = the
// last page's `nextBefore`), the dashboard's policy page ("Older recalculations →") and the command
// line (every one, however many). Over real HTTP and the real CLI on both databases; the rows are
// written straight into the table so that the times, and the order expected, are known by hand.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { cliEnv, runCli } from "./support/cli.ts";
import { callApi, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { linkTo, signInNewAdmin } from "./support/pages.ts";

interface ListBody {
  applications: { id: string; at: string }[];
  nextBefore: string | null;
}
interface ErrorBody {
  error: { code: string; details?: { path: string; message: string }[] };
}

const MIN = 60_000;
// 51 applications, one a minute from 10:00 on 1 November 2026: "<tag>-00" the oldest, "<tag>-50"
// the newest. Newest first, a page of 50 is 50 down to 01, and the next page 00 alone.
const FIRST = Date.parse("2026-11-01T10:00:00.000Z");
const COUNT = 51;

describe.each(backends())("paging past policy recalculations on $name", (backend) => {
  let db: BackendDb;
  let key: string;
  let slug: string;
  const tag = uniqueName("pa");
  const idOf = (n: number) => `${tag}-${String(n).padStart(2, "0")}`;
  const atOf = (n: number) => new Date(FIRST + n * MIN).toISOString();
  /** Applications n down to m, as the list shows them. */
  const newestFirst = (n: number, m: number) => Array.from({ length: n - m + 1 }, (_, i) => idOf(n - i));

  const list = (query = "") => callApi<ListBody>(backend.baseUrl, key, "GET", `/policy/applications${query}`);
  const ids = (body: ListBody) => body.applications.map((application) => application.id);

  beforeAll(async () => {
    db = connectBackend(backend);
    const seeded = await seedAcademy(db.prisma, "Policy Paging Academy");
    key = seeded.key;
    slug = seeded.academy.slug;
    await db.prisma.policyApplication.createMany({
      data: Array.from({ length: COUNT }, (_, n) => ({
        id: idOf(n),
        academyId: seeded.academy.id,
        policyVersion: 1,
        at: new Date(atOf(n)),
        rangeFrom: new Date(FIRST - 7 * 24 * 60 * MIN),
        rangeTo: new Date(FIRST),
      })),
    });
  });
  afterAll(() => db?.close());

  test("the API gives the newest 50, then the one left, each page naming the next", async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(ids(first.json)).toEqual(newestFirst(50, 1));
    expect(first.json.applications[0]!.at).toBe("2026-11-01T10:50:00.000Z");
    expect(first.json.nextBefore).toBe(`2026-11-01T10:01:00.000Z|${idOf(1)}`);

    const second = await list(`?before=${encodeURIComponent(first.json.nextBefore!)}`);
    expect(second.status).toBe(200);
    expect(ids(second.json)).toEqual([idOf(0)]);
    expect(second.json.nextBefore).toBeNull();
  });

  test("pages of 20 are 20, 20 and 11, every application once, in order", async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let query = "?limit=20";
    for (;;) {
      const page = await list(query);
      expect(page.status).toBe(200);
      seen.push(...ids(page.json));
      sizes.push(page.json.applications.length);
      if (!page.json.nextBefore) break;
      query = `?limit=20&before=${encodeURIComponent(page.json.nextBefore)}`;
    }
    expect(sizes).toEqual([20, 20, 11]);
    expect(seen).toEqual(newestFirst(50, 0));
  });

  test.each([
    ["not a cursor", "?before=abc"],
    ["a day that does not exist", `?before=${encodeURIComponent("2026-02-30T10:00:00.000Z|x")}`],
    ["a limit of 0", "?limit=0"],
    ["a limit over 200", "?limit=201"],
    ["an unknown parameter", "?after=x"],
  ])("a malformed query (%s) is a 422, never the first page again", async (_name, query) => {
    const answer = await callApi<ErrorBody>(backend.baseUrl, key, "GET", `/policy/applications${query}`);
    expect(answer.status).toBe(422);
    expect(answer.json.error.code).toBe("validation_failed");
  });

  test("two applications within one millisecond are both listed, one a page, by id", async () => {
    // The column keeps microseconds, the cursor milliseconds: "b" made 0.5 ms before "a" but in
    // the same millisecond comes first (same millisecond, then id, newest first), and "a" follows
    // it rather than being skipped as older than the cursor's millisecond.
    const other = await seedAcademy(db.prisma, "Policy Tie Academy");
    const at = "2026-11-02 09:00:00.123";
    await db.pool.query(
      `INSERT INTO policy_application (id, academy_id, policy_version, at, range_from, range_to)
       VALUES ($1, $3, 1, $4::timestamptz + interval '400 microseconds', $4::timestamptz, $4::timestamptz),
              ($2, $3, 1, $4::timestamptz + interval '900 microseconds', $4::timestamptz, $4::timestamptz)`,
      [`${tag}-tie-b`, `${tag}-tie-a`, other.academy.id, `${at}+00`],
    );
    const page = (query: string) =>
      callApi<ListBody>(backend.baseUrl, other.key, "GET", `/policy/applications?limit=1${query}`);
    const first = await page("");
    expect(ids(first.json)).toEqual([`${tag}-tie-b`]);
    expect(first.json.nextBefore).toBe(`2026-11-02T09:00:00.123Z|${tag}-tie-b`);
    const second = await page(`&before=${encodeURIComponent(first.json.nextBefore!)}`);
    expect(ids(second.json)).toEqual([`${tag}-tie-a`]);
    expect(second.json.nextBefore).toBeNull();
  });

  test("the policy page shows 50 and 'Older recalculations', which shows the one left and links back", async () => {
    const academyId = (await db.prisma.academy.findUniqueOrThrow({ where: { slug } })).id;
    const { client, cookie }: { client: Client; cookie: string } = await signInNewAdmin(
      db.prisma,
      academyId,
      backend.baseUrl,
    );
    const shown = (html: string) => [...html.matchAll(/data-application-id="([^"]+)"/g)].map((match) => match[1]);

    const first = await client.request("/admin/policy", { cookie });
    expect(first.status).toBe(200);
    expect(shown(first.text)).toEqual(newestFirst(50, 1));
    const older = linkTo(first.text, "Older recalculations");
    expect(older).toBe(
      `/admin/policy?before=${encodeURIComponent(`2026-11-01T10:01:00.000Z|${idOf(1)}`)}#applications-heading`,
    );
    expect(linkTo(first.text, "← Newest recalculations")).toBeNull();

    const second = await client.request(older!, { cookie });
    expect(second.status).toBe(200);
    expect(shown(second.text)).toEqual([idOf(0)]);
    expect(linkTo(second.text, "Older recalculations")).toBeNull();
    expect(linkTo(second.text, "← Newest recalculations")).toBe("/admin/policy#applications-heading");

    // A hand-edited cursor is ignored, as the dashboard's other lists ignore one: the newest page.
    const malformed = await client.request("/admin/policy?before=not-a-cursor", { cookie });
    expect(malformed.status).toBe(200);
    expect(shown(malformed.text)).toEqual(newestFirst(50, 1));
  });

  test("the command line lists all 51, newest first", async () => {
    const listed = await runCli(["policy:applications", "--academy", slug], cliEnv(backend));
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`51 application(s) of a policy version to ${slug}'s past classes, newest first:`);
    const listedIds = lines.flatMap((line) => /\s(\S+-\d\d)$/.exec(line)?.[1] ?? []);
    expect(listedIds).toEqual(newestFirst(50, 0));
  });
});
