// The names of the files Rollcall writes, after what they hold: the class and its day, the student
// and the range. Pure, so each name is a row in file-names.test.ts.
import { zonedToday } from "../time/zoned-time.ts";

/**
 * Text as a part of a file name: ASCII letters and digits in lower case, anything else one dash,
 * accents dropped ("Zoë Brontë-O'Neil" → "zoe-bronte-o-neil"), at most `max` characters; "" when
 * nothing is left (a name in Arabic script), so the caller leaves the part out.
 */
export function fileSlug(text: string | null | undefined, max = 40): string {
  return (text ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/**
 * A session's CSV: its title and its day in the academy's zone, "tajweed-surah-al-mulk-2026-11-25.csv";
 * a title with no Latin letters or digits gives "session-2026-11-25.csv".
 */
export function sessionFileName(
  { title, scheduledStart }: { title: string; scheduledStart: Date },
  timeZone: string,
): string {
  return `${fileSlug(title, 60) || "session"}-${zonedToday(timeZone, scheduledStart)}.csv`;
}

/**
 * A student's CSV: the name and the range shown, "aisha-rahman-2026-11-01-to-2026-11-30.csv",
 * "aisha-rahman-from-2026-11-01.csv", "aisha-rahman-until-2026-11-30.csv", "aisha-rahman.csv".
 */
export function studentFileName(name: string, range: { from?: string; to?: string }): string {
  const who = fileSlug(name) || "student";
  const when =
    range.from && range.to
      ? range.from === range.to
        ? range.from
        : `${range.from}-to-${range.to}`
      : range.from
        ? `from-${range.from}`
        : range.to
          ? `until-${range.to}`
          : "";
  return `${[who, when].filter(Boolean).join("-")}.csv`;
}
