// The one date-range parser of the dashboard (the register, the sessions list, a student's page and
// its export): days in the academy's zone, both included, read from a query string.
import { z } from "zod";
import { AppError } from "../errors.ts";
import { monthOf, zonedDayRange, zonedToday } from "./zoned-time.ts";

/** A form's empty field is no filter. */
export const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** A day from a query string ("YYYY-MM-DD", 2000–2099); anything malformed is no day, as with every other filter. */
export const ZDaySchema = z
  .preprocess(
    blankAsUndefined,
    z.iso
      .date()
      .regex(/^20\d\d-/)
      .optional(),
  )
  .catch(undefined);

export const MAX_RANGE_DAYS = 366;

/** First and last day, inclusive, either end open. */
export interface DayRange {
  from?: string;
  to?: string;
}

/**
 * Refuses an impossible range (an AppError the pages show and the exports answer 422): an end
 * before the start, or more than 366 days. `what` names what the range is for in the message.
 */
export function checkDayRange({ from, to }: DayRange, what = "a range"): void {
  if (!from || !to) return;
  if (to < from)
    throw new AppError(
      "validation_failed",
      `The range ends (${to}) before it starts (${from}): choose an end on or after the start.`,
      [{ path: "to", message: "must be on or after from" }],
    );
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS)
    throw new AppError(
      "validation_failed",
      `The range is ${days} days long: ${what} covers at most ${MAX_RANGE_DAYS} days.`,
      [{ path: "to", message: `at most ${MAX_RANGE_DAYS} days from from` }],
    );
}

/** A range that is always closed (the register): both days given, or the month of the one given, or this month. */
export function monthlyRange(
  range: DayRange,
  timeZone: string,
  now: Date,
  what = "a range",
): { from: string; to: string } {
  const from = range.from ?? monthOf(range.to ?? zonedToday(timeZone, now)).first;
  const to = range.to ?? monthOf(range.from ?? zonedToday(timeZone, now)).last;
  checkDayRange({ from, to }, what);
  return { from, to };
}

/** The instants a range covers, [first day's midnight, the midnight after the last day) in the zone; an open end stays open. */
export function dayRangeInstants({ from, to }: DayRange, timeZone: string): { from?: Date; to?: Date } {
  return {
    from: from ? zonedDayRange(from, timeZone).from : undefined,
    to: to ? zonedDayRange(to, timeZone).to : undefined,
  };
}

const dayMonth = (date: string, withYear: boolean) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    day: "numeric",
    month: "short",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(new Date(`${date}T00:00:00Z`));

/**
 * A range in words, for headings and empty states: "today", "on 3 Dec", "from 1 Dec to 7 Dec",
 * "from 1 Dec", "until 7 Dec"; the year is said when a day is not in this year. "" for no range.
 */
export function describeDayRange({ from, to }: DayRange, today: string): string {
  const day = (date: string) => dayMonth(date, date.slice(0, 4) !== today.slice(0, 4));
  if (from && to) {
    if (from === to) return from === today ? "today" : `on ${day(from)}`;
    return `from ${day(from)} to ${day(to)}`;
  }
  if (from) return `from ${day(from)}`;
  if (to) return `until ${day(to)}`;
  return "";
}
