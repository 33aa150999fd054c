import type { ResultStatus } from "@/lib/reports/result-status.ts";

// The words and colours of every status the dashboard shows, in one place: the badges (results and
// session states), the timeline's bars and its live words. A colour never stands alone: each is
// shown with its word.

/** Badge colours: results, then session states (lib/attendance/lifecycle.ts). */
export const BADGE_CLASS: Record<string, string> = {
  present: "bg-emerald-100 text-emerald-900 ring-emerald-600/30",
  late: "bg-amber-100 text-amber-900 ring-amber-600/30",
  partial: "bg-sky-100 text-sky-900 ring-sky-600/30",
  absent: "bg-rose-100 text-rose-900 ring-rose-600/30",
  excused: "bg-violet-100 text-violet-900 ring-violet-600/30",
  scheduled: "bg-slate-100 text-slate-800 ring-slate-500/30",
  live: "bg-rose-600 text-white ring-rose-700",
  ended: "bg-amber-50 text-amber-900 ring-amber-500/40",
  calculated: "bg-emerald-50 text-emerald-900 ring-emerald-600/30",
  cancelled: "bg-slate-200 text-slate-700 ring-slate-500/30 line-through",
};

/** Words that differ from the status's own name. */
export const STATUS_LABEL: Record<string, string> = {
  // "ended" is the time between the end and the report.
  ended: "ended · awaiting calculation",
};

export const statusLabel = (status: string): string => STATUS_LABEL[status] ?? status;

/**
 * What a timeline row says about its person: the result once the class is calculated; while it
 * runs (or before its report), where they are; guests apart.
 */
export type TimelineStatus = ResultStatus | "in the room" | "left" | "not joined" | "expected" | "joined" | "guest";

/** Bar colour per timeline status: a result's bars take its badge's hue. */
export const TIMELINE_BAR_CLASS: Record<TimelineStatus, string> = {
  present: "bg-emerald-600",
  late: "bg-amber-500",
  partial: "bg-sky-600",
  absent: "bg-rose-600",
  excused: "bg-violet-600",
  "in the room": "bg-emerald-600",
  left: "bg-slate-500",
  joined: "bg-slate-500",
  "not joined": "bg-slate-500",
  expected: "bg-slate-500",
  guest: "bg-slate-400",
};

/** The word beside a timeline row, for the statuses that are not results (results use the badge). */
export const TIMELINE_WORD_CLASS: Record<Exclude<TimelineStatus, ResultStatus>, string> = {
  "in the room": "text-emerald-800",
  left: "text-slate-700",
  joined: "text-slate-700",
  "not joined": "text-slate-700",
  expected: "text-slate-700",
  guest: "text-slate-700",
};
