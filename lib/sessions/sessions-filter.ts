// The sessions list's filters: read from the query string, written into links, said in words.
// Pure, so each rule is a row in sessions-filter.test.ts.
import { z } from "zod";
import { ZSessionTypeSchema } from "./session-schemas.ts";
import { blankAsUndefined, describeDayRange, ZDaySchema, type DayRange } from "../time/day-range.ts";

export const SESSION_VIEWS = ["today", "live", "upcoming", "ended", "all"] as const;
export type SessionView = (typeof SESSION_VIEWS)[number];

/** An old bookmark's single `date` is the one-day range it meant. */
const fromLegacyDate = (query: unknown) => {
  if (!query || typeof query !== "object") return query;
  const { date, ...rest } = query as Record<string, unknown>;
  return date && !rest.from && !rest.to ? { ...rest, from: date, to: date } : rest;
};

/**
 * The sessions page's filters, from its query string; anything malformed falls back to the
 * default, and an empty field (a select's "All teachers", a cleared date) is no filter.
 */
export const ZSessionsFilterSchema = z.preprocess(
  fromLegacyDate,
  z.object({
    view: z.enum(SESSION_VIEWS).catch("today"),
    type: z.preprocess(blankAsUndefined, ZSessionTypeSchema.optional()).catch(undefined),
    /** Admins only; a teacher always sees their own classes. */
    teacher: z.preprocess(blankAsUndefined, z.string().max(64).optional()).catch(undefined),
    /** Days in the academy's zone, both included, either end open (day-range.ts). */
    from: ZDaySchema,
    to: ZDaySchema,
  }),
);
export type TSessionsFilter = z.infer<typeof ZSessionsFilterSchema>;

/** "Today" is itself a day: with a range chosen, the list is every class of the range. */
export const effectiveView = (filter: Pick<TSessionsFilter, "view" | "from" | "to">): SessionView =>
  filter.view === "today" && (filter.from || filter.to) ? "all" : filter.view;

/** Whether anything but the tab narrows the list. */
export const hasSessionFilters = (filter: TSessionsFilter) =>
  Boolean(filter.type || filter.teacher || filter.from || filter.to);

/**
 * The query string of a link to the list. A tab keeps the type and teacher but drops the dates: a
 * date chosen under "All" must not make "Today" show another day.
 */
export function sessionsHref(
  filter: TSessionsFilter,
  { view, keepDates }: { view: SessionView; keepDates: boolean },
): string {
  const params = new URLSearchParams();
  if (view !== "today") params.set("view", view);
  if (filter.type) params.set("type", filter.type);
  if (filter.teacher) params.set("teacher", filter.teacher);
  if (keepDates && filter.from) params.set("from", filter.from);
  if (keepDates && filter.to) params.set("to", filter.to);
  const query = params.toString();
  return query ? `/sessions?${query}` : "/sessions";
}

const KIND: Record<SessionView, string> = { today: "", live: "live ", upcoming: "upcoming ", ended: "ended ", all: "" };

/**
 * What an empty list was looking for, in words: "No ended classes on 3 Dec for Ustadha Khadija.",
 * "No live quran classes.", "No classes today."
 */
export function describeNoSessions(
  filter: Pick<TSessionsFilter, "view" | "type" | "from" | "to">,
  { teacherName, today }: { teacherName?: string | null; today: string },
): string {
  const view = effectiveView(filter);
  const range: DayRange = view === "today" ? { from: today, to: today } : { from: filter.from, to: filter.to };
  const when = describeDayRange(range, today);
  return `No ${KIND[view]}${filter.type ? `${filter.type} ` : ""}classes${when ? ` ${when}` : ""}${teacherName ? ` for ${teacherName}` : ""}.`;
}
