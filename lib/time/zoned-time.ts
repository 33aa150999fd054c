// Academy-local days without a date library: the offset of a zone at an instant, from Intl.

/** Milliseconds to add to a UTC instant to get the wall-clock time in a zone (the runtime's when unset). */
export function zoneOffsetMs(instant: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a local wall-clock midnight falls at in a zone (DST-safe: the offset is re-read there). */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return new Date(guess - zoneOffsetMs(first, timeZone));
}

/** [start, end) of a local calendar day ("YYYY-MM-DD") in a zone. */
export function zonedDayRange(date: string, timeZone: string): { from: Date; to: Date } {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return {
    from: zonedMidnight(year, month, day, timeZone),
    to: zonedMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}

/** Today's date ("YYYY-MM-DD") in a zone. */
export function zonedToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * An instant as the academy's wall clock with its offset (ISO 8601, so no reader has to guess a
 * zone): to the minute "2026-11-03T17:00+00:00", "2026-07-03T18:00+01:00" (the register's column
 * headers), or to the second "2026-07-03T18:04:09+01:00" (the reports' CSV). Seconds are cut, not rounded.
 */
export function zonedIso(instant: Date, timeZone: string, precision: "minute" | "second"): string {
  const offsetMs = zoneOffsetMs(instant.getTime(), timeZone);
  const local = new Date(instant.getTime() + offsetMs).toISOString().slice(0, precision === "minute" ? 16 : 19);
  const offsetMinutes = Math.round(offsetMs / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export const zonedIsoMinute = (instant: Date, timeZone: string): string => zonedIso(instant, timeZone, "minute");

/** The first and last day ("YYYY-MM-DD") of the calendar month a date is in. */
export function monthOf(date: string): { first: string; last: string } {
  const [year, month] = date.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, "0");
  return { first: `${date.slice(0, 4)}-${mm}-01`, last: `${date.slice(0, 4)}-${mm}-${String(last).padStart(2, "0")}` };
}
