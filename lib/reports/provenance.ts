import type { ClosedBy, OpenedBy, TracedInterval } from "../attendance/index.ts";
import { formatTime } from "../time/format.ts";
import { isoTime } from "../time/iso.ts";

// attendance_report.intervals holds, per merged interval, { start, end } and, since provenance is
// kept, `sources`: the connections behind it and their webhooks (lib/attendance decision 14). Rows
// calculated before hold { start, end } only; they read as "not kept" until recalculated. Pure:
// the calculation writes with it, the report reads with it, and the page may import its types.

/** One connection behind an interval, as stored and as the API and the page show it. */
export interface ProvenanceSource {
  sid: string;
  start: string;
  end: string;
  /** "joined": its own join; "join_recovered": the leave's joinedAt, its join never arrived. */
  openedBy: OpenedBy;
  openEventId: string;
  /** "left", "aborted", "room_finished", or "window_end" (no webhook: the window ended first). */
  closedBy: ClosedBy;
  closeEventId: string | null;
}

export interface ProvenanceInterval {
  start: string;
  end: string;
  /** More than one connection merged into it: two devices at once, or a reconnect. */
  merged: boolean;
  sources: ProvenanceSource[];
}

interface StoredInterval {
  start: string;
  end: string;
  sources?: ProvenanceSource[];
}

/**
 * What the calculation stores for a person's intervals, as the JSON text it writes: the figures'
 * intervals, each with its sources ({ start, end, sources: ProvenanceSource[] }). Written directly:
 * a large calculation writes it for every report, and building objects only to stringify them was
 * a tenth of its CPU.
 */
export function storedIntervalsJson(traced: readonly TracedInterval[]): string {
  const text = JSON.stringify;
  let json = "[";
  for (let i = 0; i < traced.length; i++) {
    const interval = traced[i]!;
    json += `${i ? "," : ""}{"start":"${isoTime(interval.start)}","end":"${isoTime(interval.end)}","sources":[`;
    for (let j = 0; j < interval.sources.length; j++) {
      const source = interval.sources[j]!;
      json +=
        `${j ? "," : ""}{"sid":${text(source.sid)},"start":"${isoTime(source.start)}","end":"${isoTime(source.end)}",` +
        `"openedBy":${text(source.openedBy)},"openEventId":${text(source.openEventId)},` +
        `"closedBy":${text(source.closedBy)},"closeEventId":${text(source.closeEventId)}}`;
    }
    json += "]}";
  }
  return `${json}]`;
}

/** The intervals as the report has always shown them: [{ start, end }]. */
export function plainIntervals(stored: unknown): { start: string; end: string }[] {
  return (stored as StoredInterval[]).map(({ start, end }) => ({ start, end }));
}

/**
 * The intervals with their sources, or null for a row calculated before provenance was kept (an
 * interval without sources); a row with no interval has nothing to trace and reads as kept.
 */
export function readProvenance(stored: unknown): ProvenanceInterval[] | null {
  const intervals = stored as StoredInterval[];
  if (intervals.some((interval) => !Array.isArray(interval.sources))) return null;
  return intervals.map(({ start, end, sources = [] }) => ({ start, end, merged: sources.length > 1, sources }));
}

/** Every webhook id behind the intervals, each once, in the order named. */
export function provenanceEventIds(intervals: readonly ProvenanceInterval[]): string[] {
  const ids = intervals.flatMap((interval) =>
    interval.sources.flatMap((source) => [source.openEventId, ...(source.closeEventId ? [source.closeEventId] : [])]),
  );
  return [...new Set(ids)];
}

const OPENED_WORDS: Record<OpenedBy, string> = {
  joined: "joined",
  join_recovered: "join recovered from the leave's joinedAt",
};
const CLOSED_WORDS: Record<ClosedBy, string> = {
  left: "left",
  aborted: "connection aborted",
  room_finished: "closed by room_finished",
  window_end: "closed at the window end",
};

/** "joined 17:20 (webhook EV_1) → left 18:00 (webhook EV_2)": one connection, as a teacher reads it. */
export function describeSource(source: ProvenanceSource, timeZone: string): string {
  const opened = `${OPENED_WORDS[source.openedBy]} ${formatTime(source.start, timeZone)} (webhook ${source.openEventId})`;
  const closedAt = `${CLOSED_WORDS[source.closedBy]} ${formatTime(source.end, timeZone)}`;
  return `${opened} → ${source.closeEventId ? `${closedAt} (webhook ${source.closeEventId})` : `${closedAt} (no webhook)`}`;
}

/** What a row with no provenance says: it was calculated before provenance was kept. */
export const PROVENANCE_NOT_KEPT = "Calculated before provenance was kept; recalculate to see it.";
