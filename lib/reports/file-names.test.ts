import { describe, expect, it } from "vitest";
import { fileSlug, sessionFileName, studentFileName } from "./file-names.ts";

describe("fileSlug", () => {
  it.each([
    ["Tajweed: Surah Al-Mulk", "tajweed-surah-al-mulk"],
    ["Zoë Brontë-O'Neil", "zoe-bronte-o-neil"],
    ["  --Fiqh / Salah (2)--  ", "fiqh-salah-2"],
    ["أستاذة خديجة", ""],
    ["", ""],
    [null, ""],
  ] as const)("%s → %s", (text, slug) => {
    expect(fileSlug(text)).toBe(slug);
  });

  it("cuts at the limit without leaving a dash at the end", () => {
    expect(fileSlug("abcd efgh", 5)).toBe("abcd");
  });
});

describe("sessionFileName", () => {
  it.each([
    // 17:00 UTC on 25 November is the same day in London (GMT).
    {
      title: "Tajweed: Surah Al-Mulk",
      start: "2026-11-25T17:00:00Z",
      zone: "Europe/London",
      name: "tajweed-surah-al-mulk-2026-11-25.csv",
    },
    // 23:30 UTC on 30 September is 00:30 on 1 October in London (BST): the academy's day.
    { title: "Fiqh: Salah", start: "2025-09-30T23:30:00Z", zone: "Europe/London", name: "fiqh-salah-2025-10-01.csv" },
    // 02:00 UTC on 1 March is still 28 February in New York (EST).
    { title: "Algebra", start: "2026-03-01T02:00:00Z", zone: "America/New_York", name: "algebra-2026-02-28.csv" },
    { title: "تجويد", start: "2026-11-25T17:00:00Z", zone: "UTC", name: "session-2026-11-25.csv" },
  ])("$title at $start in $zone → $name", ({ title, start, zone, name }) => {
    expect(sessionFileName({ title, scheduledStart: new Date(start) }, zone)).toBe(name);
  });
});

describe("studentFileName", () => {
  it.each([
    [{ from: "2026-11-01", to: "2026-11-30" }, "aisha-rahman-2026-11-01-to-2026-11-30.csv"],
    [{ from: "2026-11-03", to: "2026-11-03" }, "aisha-rahman-2026-11-03.csv"],
    [{ from: "2026-11-01" }, "aisha-rahman-from-2026-11-01.csv"],
    [{ to: "2026-11-30" }, "aisha-rahman-until-2026-11-30.csv"],
    [{}, "aisha-rahman.csv"],
  ] as const)("%j → %s", (range, name) => {
    expect(studentFileName("Aisha Rahman", range)).toBe(name);
  });

  it("names a student whose name has no Latin letters 'student'", () => {
    expect(studentFileName("عائشة", {})).toBe("student.csv");
  });
});
