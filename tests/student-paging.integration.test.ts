// A student's page lists every class of the range a page at a time (100, newest first, "Older
// classes →"), while the totals, the average and the chart count the whole range, never one page.
// Over real HTTP on both databases, against reports stored directly (the calculation is tested
// elsewhere). Every figure below is worked out by hand from the pattern of 103 classes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { classNumbers, linkTo, signInNewAdmin } from "./support/pages.ts";
import { seedAcademy, uniqueName } from "./support/fixtures.ts";

const DAY = 86_400_000;
const FIRST = Date.parse("2026-01-05T10:00:00.000Z");
const CLASSES = 103;
// Class n's result, by n mod 4: absent (0 %), present (100 %), late (90 %), partial (40 %).
const PATTERN = [
  { status: "absent", percentage: 0, attended: 0, late: 0 },
  { status: "present", percentage: 100, attended: 3600, late: 0 },
  { status: "late", percentage: 90, attended: 3240, late: 20 },
  { status: "partial", percentage: 40, attended: 1440, late: 0 },
] as const;

describe.each(backends())("a student's page over HTTP on $name", (backend) => {
  let db: BackendDb;
  let cookie: string;
  let client: Client;
  let personId: string;
  const tag = uniqueName("student-pages");
  const title = (n: number) => `${tag} Class ${String(n).padStart(3, "0")}`;

  beforeAll(async () => {
    db = connectBackend(backend);
    const { academy } = await seedAcademy(db.prisma, "Student Pages Academy");
    const person = await db.prisma.person.create({
      data: {
        academyId: academy.id,
        externalId: `${tag}-s`,
        role: "student",
        name: "Sara Paging",
        livekitIdentity: `${tag}-s`,
      },
    });
    personId = person.id;
    // One class a day from Monday 5 January 2026, 10:00 UTC: class 0 the oldest, class 102 the newest.
    await db.prisma.session.createMany({
      data: Array.from({ length: CLASSES }, (_, n) => ({
        id: `${tag}-${String(n).padStart(3, "0")}`,
        academyId: academy.id,
        type: "academic" as const,
        title: title(n),
        roomName: `${tag}-room`,
        scheduledStart: new Date(FIRST + n * DAY),
        scheduledEnd: new Date(FIRST + n * DAY + 3_600_000),
        isCalculated: true,
      })),
    });
    await db.prisma.attendanceReport.createMany({
      data: Array.from({ length: CLASSES }, (_, n) => {
        const result = PATTERN[n % 4]!;
        return {
          sessionId: `${tag}-${String(n).padStart(3, "0")}`,
          identity: person.livekitIdentity!,
          academyId: academy.id,
          personId: person.id,
          role: "student" as const,
          status: result.status,
          attendedSeconds: result.attended,
          sessionSeconds: 3600,
          percentage: result.percentage,
          isLate: result.status === "late",
          lateMinutes: result.late,
          intervals: [],
          connectionCount: result.attended ? 1 : 0,
          explanation: "stored by the test",
          policy: {},
          isAutoCalculated: true,
          calculatedAt: new Date(FIRST + n * DAY + 2 * 3_600_000),
          // Class 0 (absent) is excused.
          ...(n === 0
            ? { overrideStatus: "excused" as const, overrideNote: "sick note", overriddenAt: new Date() }
            : {}),
        };
      }),
    });
    ({ client, cookie } = await signInNewAdmin(db.prisma, academy.id, backend.baseUrl));
  });
  afterAll(() => db?.close());

  const shown = (html: string) => classNumbers(html, tag);
  /** The figure under a totals label ("Sessions", "Absent", …). */
  const total = (html: string, label: string) => {
    const found = new RegExp(`<dt[^>]*>${label}</dt><dd[^>]*>([^<]*)</dd>`).exec(html);
    return found ? found[1] : null;
  };

  test("the first page shows the 100 newest classes; the totals and average count all 103", async () => {
    const page = await client.request(`/students/${personId}`, { cookie });
    expect(page.status).toBe(200);
    // Rows 102 down to 3; the chart's tooltips and labels name only the newest 20 (83 to 102).
    expect(new Set(shown(page.text))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => 102 - i)));
    // By hand: n mod 4 = 0 for 26 classes (0, 4, …, 100), one of them excused; 1 and 2 for 26 each
    // (1…101, 2…102); 3 for 25 (3…99).
    expect(total(page.text, "Sessions")).toBe("103");
    expect(total(page.text, "Present")).toBe("26");
    expect(total(page.text, "Late")).toBe("26");
    expect(total(page.text, "Partial")).toBe("25");
    expect(total(page.text, "Absent")).toBe("25");
    expect(total(page.text, "Excused")).toBe("1");
    // The class average's rule over the 102 not excused: (25 × 0 + 26 × 100 + 26 × 90 + 25 × 40) / 102
    // = 5,940 / 102 = 58.235…, half up to a tenth: 58.2 %.
    expect(total(page.text, "Average attended")).toBe("58.2\u00a0%");
    expect(linkTo(page.text, "Older classes →")).toBe(
      `/students/${personId}?after=${encodeURIComponent(`${new Date(FIRST + 3 * DAY).toISOString()}|${tag}-003`)}`,
    );
    expect(linkTo(page.text, "← Newest classes")).toBeNull();
  });

  test("'Older classes' shows the three left, with the same totals, and links back to the newest", async () => {
    const first = await client.request(`/students/${personId}`, { cookie });
    const older = await client.request(linkTo(first.text, "Older classes →")!, { cookie });
    expect(older.status).toBe(200);
    expect([...new Set(shown(older.text).filter((n) => n < 83))]).toEqual([2, 1, 0]);
    expect(total(older.text, "Sessions")).toBe("103");
    expect(total(older.text, "Average attended")).toBe("58.2\u00a0%");
    expect(linkTo(older.text, "Older classes →")).toBeNull();
    expect(linkTo(older.text, "← Newest classes")).toBe(`/students/${personId}`);
  });

  test("a range keeps its days in the links, and a malformed cursor is the first page", async () => {
    // 1 to 28 February 2026: classes 27 (Sun 1 Feb) to 54 (Sat 28 Feb), 28 of them: one page.
    const february = await client.request(`/students/${personId}?from=2026-02-01&to=2026-02-28`, { cookie });
    expect(february.status).toBe(200);
    expect(total(february.text, "Sessions")).toBe("28");
    expect(linkTo(february.text, "Older classes →")).toBeNull();
    const malformed = await client.request(`/students/${personId}?after=not-a-cursor`, { cookie });
    expect(malformed.status).toBe(200);
    expect(linkTo(malformed.text, "← Newest classes")).toBeNull();
    expect(linkTo(malformed.text, "Older classes →")).not.toBeNull();
    expect(shown(malformed.text)).toContain(102);
  });
});
