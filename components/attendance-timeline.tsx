"use client";

import { useState, type JSX } from "react";
import { zoneOffsetMs } from "@/lib/time/zoned-time.ts";
import { RESULT_STATUSES } from "@/lib/reports/result-status.ts";
import { StatusBadge } from "./status-badge.tsx";
import { TIMELINE_BAR_CLASS, TIMELINE_WORD_CLASS, type TimelineStatus } from "../client/status-style.ts";

export interface TimelineRow {
  identity: string;
  name: string;
  role: "teacher" | "student" | "guest";
  /** The person's result, or where they are while the class runs: the row's word and colour. */
  status: TimelineStatus;
  /** Connections; `open` is still in the room (drawn to `now`). None: an empty row (never came). */
  intervals: { start: string; end: string; open?: boolean; provenance?: string; sid?: string }[];
  /** When a late arrival arrived, from the report or the live presence: the late marker. */
  lateAt?: string | null;
}

export interface AttendanceTimelineProps {
  scheduledStart: string;
  scheduledEnd: string;
  preparationMinutes: number;
  graceMinutes: number;
  axisEnd?: string;
  now?: string;
  rows: TimelineRow[];
  timeZone?: string;
  /** Each room_finished inside the scheduled window, and when the teacher reopened the class. */
  roomFinishes?: { at: string; resumedAt: string | null }[];
}

const MINUTE = 60_000;
const TICK_STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360];
const MAX_TICKS = 12;
const RESULTS = new Set<string>(RESULT_STATUSES);
// Labels of the axis are small: every colour below keeps 4.5:1 against the bands they sit on
// (white, slate-100, amber-50), as WCAG asks of small text.
const LABEL_COLUMN = "w-44 shrink-0";

function resolveTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return timeZone;
  } catch {
    // An unknown zone would throw during render; fall back to the runtime's zone instead.
    return undefined;
  }
}

function parse(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A room event on the axis: where the room closed, and where the class went on or ended. */
interface Marker {
  at: number;
  text: string;
  line: string;
  label: string;
}

/** Where everything sits on the time axis, in the display zone: the window, its bands, ticks and markers. */
function timelineAxis(props: AttendanceTimelineProps, timeZone: string | undefined) {
  const timeFormat = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
  const fmt = (t: number) => timeFormat.format(new Date(t));
  const start = parse(props.scheduledStart) ?? 0;
  const end = Math.max(parse(props.scheduledEnd) ?? start, start);
  const prepStart = start - Math.max(0, props.preparationMinutes) * MINUTE;
  const graceEnd = Math.min(start + Math.max(0, props.graceMinutes) * MINUTE, end);
  const axisStart = prepStart - 5 * MINUTE;
  const requestedAxisEnd = parse(props.axisEnd) ?? end + 10 * MINUTE;
  // Guard against a zero or negative span so positions never divide by zero.
  const axisEnd = requestedAxisEnd > axisStart ? requestedAxisEnd : axisStart + MINUTE;
  const span = axisEnd - axisStart;

  const inAxis = (t: number) => t >= axisStart && t <= axisEnd;
  const pct = (t: number) => clamp(((t - axisStart) / span) * 100, 0, 100);

  const spanMinutes = span / MINUTE;
  const stepMin =
    TICK_STEPS_MIN.find((s) => Math.floor(spanMinutes / s) <= MAX_TICKS) ?? TICK_STEPS_MIN[TICK_STEPS_MIN.length - 1]!;
  const stepMs = stepMin * MINUTE;
  // Align ticks to round wall-clock minutes in the display zone, which may have a non-hour offset (e.g. +05:45).
  const offset = zoneOffsetMs(axisStart, timeZone);
  const ticks: number[] = [];
  for (let local = Math.ceil((axisStart + offset) / stepMs) * stepMs; local - offset <= axisEnd; local += stepMs) {
    ticks.push(local - offset);
  }

  const markers: Marker[] = [];
  for (const finish of props.roomFinishes ?? []) {
    const at = parse(finish.at);
    if (at === null || !inAxis(at)) continue;
    const resumedAt = parse(finish.resumedAt);
    if (resumedAt === null) {
      markers.push({ at, text: `class ended early ${fmt(at)}`, line: "border-rose-700", label: "text-rose-800" });
    } else {
      markers.push({ at, text: `room closed ${fmt(at)}`, line: "border-rose-700", label: "text-rose-800" });
      if (inAxis(resumedAt))
        markers.push({
          at: resumedAt,
          text: `reopened ${fmt(resumedAt)}`,
          line: "border-emerald-700",
          label: "text-emerald-800",
        });
    }
  }
  const nowT = parse(props.now);
  const band = (from: number, to: number) => ({ left: `${pct(from)}%`, width: `${Math.max(0, pct(to) - pct(from))}%` });
  const edgeLabelStyle = (t: number) => {
    const p = pct(t);
    if (p < 8) return { left: `${p}%` };
    if (p > 92) return { right: `${100 - p}%` };
    return { left: `${p}%`, transform: "translateX(-50%)" };
  };
  return {
    fmt,
    start,
    end,
    prepStart,
    graceEnd,
    axisStart,
    axisEnd,
    inAxis,
    pct,
    ticks,
    markers,
    now: nowT !== null && inAxis(nowT) ? nowT : null,
    band,
    edgeLabelStyle,
  };
}

type Axis = ReturnType<typeof timelineAxis>;

/**
 * The bands, tick lines, markers and the now line behind the rows. Every line (the window's start and
 * end too) starts below the axis's two label rows, so no time or label is ever drawn over one: a time
 * over the red now line or the indigo start line is unreadable.
 */
function AxisBackdrop({ axis }: { axis: Axis }) {
  const { start, end, prepStart, graceEnd, inAxis, pct, band } = axis;
  return (
    <div aria-hidden="true" className={`pointer-events-none absolute inset-y-0 right-0 left-44`}>
      {prepStart < start && <div className="absolute inset-y-0 bg-slate-100" style={band(prepStart, start)} />}
      {start < end && <div className="absolute inset-y-0 bg-white" style={band(start, end)} />}
      {start < graceEnd && <div className="absolute inset-y-0 bg-amber-50" style={band(start, graceEnd)} />}
      {axis.ticks.map((t) => (
        <div key={t} className="absolute top-10 bottom-5 w-px bg-slate-200/70" style={{ left: `${pct(t)}%` }} />
      ))}
      {[start, end]
        .filter((t, i) => inAxis(t) && (i === 0 || t !== start))
        .map((t) => (
          <div key={t} className="absolute top-10 bottom-5 w-px bg-indigo-500" style={{ left: `${pct(t)}%` }} />
        ))}
      {axis.markers.map((marker) => (
        <div
          key={`${marker.text}`}
          className={`absolute top-10 bottom-5 border-l-2 border-dashed ${marker.line}`}
          style={{ left: `${pct(marker.at)}%` }}
        />
      ))}
      {axis.now !== null && (
        <div
          className="absolute top-10 bottom-5 w-0.5 -translate-x-1/2 bg-rose-700"
          style={{ left: `${pct(axis.now)}%` }}
        />
      )}
    </div>
  );
}

/** Above the rows: the preparation, grace and now labels, the times, and a line per room marker. */
function AxisHeader({ axis }: { axis: Axis }) {
  const { start, prepStart, graceEnd, band, edgeLabelStyle } = axis;
  return (
    <>
      <div aria-hidden="true" className="relative flex h-5">
        <div className={LABEL_COLUMN} />
        <div className="relative flex-1 text-[11px] uppercase tracking-wide">
          {prepStart < start && (
            <span
              className="absolute top-1 truncate text-center text-slate-700"
              style={band(Math.max(prepStart, axis.axisStart), start)}
            >
              preparation
            </span>
          )}
          {start < graceEnd && (
            <span className="absolute top-1 truncate text-center text-amber-800" style={band(start, graceEnd)}>
              grace
            </span>
          )}
          {axis.now !== null && (
            <span
              className="absolute top-1 rounded bg-rose-700 px-1 font-semibold text-white"
              style={edgeLabelStyle(axis.now)}
            >
              now
            </span>
          )}
        </div>
      </div>

      <div aria-hidden="true" className="relative flex h-5 border-b border-slate-200">
        <div className={LABEL_COLUMN} />
        <div className="relative flex-1 tabular-nums text-slate-700">
          {axis.ticks.map((t) => (
            <span key={t} className="absolute top-0.5 whitespace-nowrap" style={edgeLabelStyle(t)}>
              {axis.fmt(t)}
            </span>
          ))}
        </div>
      </div>

      {axis.markers.map((marker) => (
        <div key={marker.text} className="relative flex h-5" data-testid="timeline-marker">
          <div className={LABEL_COLUMN} />
          <div className="relative flex-1">
            <span
              className={`absolute top-0.5 whitespace-nowrap rounded bg-white px-1 font-medium ${marker.label}`}
              style={edgeLabelStyle(marker.at)}
            >
              {marker.text}
            </span>
          </div>
        </div>
      ))}
    </>
  );
}

/** Below the rows: where the class starts and ends. */
function AxisFooter({ axis }: { axis: Axis }) {
  const { start, end, inAxis, edgeLabelStyle } = axis;
  return (
    <div aria-hidden="true" className="relative flex h-5 border-t border-slate-200">
      <div className={LABEL_COLUMN} />
      <div className="relative flex-1 text-[11px] font-medium uppercase tracking-wide text-indigo-700">
        {inAxis(start) && (
          <span className="absolute top-1 whitespace-nowrap" style={edgeLabelStyle(start)}>
            start
          </span>
        )}
        {inAxis(end) && end > start && (
          <span className="absolute top-1 whitespace-nowrap" style={edgeLabelStyle(end)}>
            end
          </span>
        )}
      </div>
    </div>
  );
}

/** What a screen reader hears first: the window, the room's markers, how many people and how many late. */
function timelineCaption(axis: Axis, rows: readonly TimelineRow[]): string {
  const { fmt } = axis;
  const late = rows.filter((row) => parse(row.lateAt) !== null).length;
  return (
    `Class from ${fmt(axis.start)} to ${fmt(axis.end)}; preparation opens at ${fmt(axis.prepStart)}; grace until ${fmt(axis.graceEnd)}. ` +
    axis.markers.map((marker) => `The ${marker.text}. `).join("") +
    (rows.length === 0
      ? "Nobody on the roster."
      : `${rows.length} ${rows.length === 1 ? "person" : "people"} shown${late ? `, ${late} late` : ""}.`)
  );
}

/**
 * Every connection of every person against the class window: preparation, grace, the late
 * marker, the room's early finishes and reopenings. Each row says its person's status in words
 * beside its colour; each bar takes keyboard focus and is named by its person and times.
 */
export function AttendanceTimeline(props: AttendanceTimelineProps): JSX.Element {
  const { rows } = props;
  const [focused, setFocused] = useState<FocusedBar | null>(null);
  const axis = timelineAxis(props, resolveTimeZone(props.timeZone));
  // The legend names the colours drawn, in the one order of statuses.
  const drawn = new Set(rows.filter((row) => row.intervals.length > 0).map((row) => row.status));
  const statuses = (Object.keys(TIMELINE_BAR_CLASS) as TimelineStatus[]).filter((status) => drawn.has(status));

  return (
    <figure aria-labelledby="timeline-caption" className="w-full">
      <figcaption id="timeline-caption" className="sr-only">
        {timelineCaption(axis, rows)}
      </figcaption>
      {/* The region scrolls sideways on a narrow screen, never the page; it takes focus so a keyboard can scroll it. */}
      <div
        role="region"
        aria-label="Timeline, one row per person (scrolls sideways)"
        tabIndex={0}
        className="relative overflow-x-auto rounded focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700"
      >
        <div className="relative min-w-[40rem] text-xs text-slate-700">
          <AxisBackdrop axis={axis} />
          <AxisHeader axis={axis} />
          {rows.length === 0 ? (
            <p className="relative py-3 pl-2 text-sm text-slate-700">Nobody on the roster yet.</p>
          ) : (
            <div role="list" aria-label="People" className="relative py-1">
              {rows.map((row) => (
                <TimelineRowView
                  key={row.identity}
                  row={row}
                  axisStart={axis.axisStart}
                  axisEnd={axis.axisEnd}
                  pct={axis.pct}
                  fmt={axis.fmt}
                  onFocusBar={setFocused}
                />
              ))}
            </div>
          )}
          <AxisFooter axis={axis} />
        </div>
      </div>
      {/* For sighted keyboard users: what the focused bar says (screen readers hear its name). */}
      <p aria-hidden="true" className="mt-1 min-h-5 text-sm text-slate-700" data-testid="timeline-focused">
        {focused?.label ?? "Tab to a bar to read its times."}
      </p>
      {/* Its room kept whether or not a bar is focused: a blur never moves what is below or above. */}
      <p aria-hidden="true" className="min-h-8 text-xs text-slate-700" data-testid="timeline-provenance">
        {focused?.provenance ?? ""}
      </p>
      <Legend statuses={statuses} />
    </figure>
  );
}

/** The focused bar: its name and times, and the webhooks behind it when the report keeps them. */
interface FocusedBar {
  label: string;
  provenance?: string;
}

interface TimelineRowViewProps {
  row: TimelineRow;
  axisStart: number;
  axisEnd: number;
  pct: (t: number) => number;
  fmt: (t: number) => string;
  onFocusBar: (bar: FocusedBar | null) => void;
}

function TimelineRowView({ row, axisStart, axisEnd, pct, fmt, onFocusBar }: TimelineRowViewProps): JSX.Element {
  const late = parse(row.lateAt);
  const isResult = RESULTS.has(row.status);
  const bars = row.intervals.flatMap((interval, i) => {
    const s = parse(interval.start);
    const e = parse(interval.end);
    if (s === null || e === null) return [];
    const from = Math.max(s, axisStart);
    const to = Math.min(e, axisEnd);
    if (to < from) return [];
    const label = interval.open
      ? `${row.name}, ${fmt(s)} to now, still in the room`
      : `${row.name}, ${fmt(s)} to ${fmt(e)}`;
    const provenance = interval.provenance;
    return [{ key: `${i}-${interval.start}`, from, to, label, provenance, open: interval.open === true }];
  });

  return (
    <div role="listitem" className="flex h-8 items-center" data-testid={`timeline-row-${row.identity}`}>
      <div className={`${LABEL_COLUMN} flex items-center justify-between gap-2 pr-3`}>
        <span className="truncate text-sm text-slate-800" title={row.name}>
          {row.name}
          {row.role !== "student" ? <span className="text-xs text-slate-700"> ({row.role})</span> : null}
        </span>
        {isResult ? (
          <StatusBadge status={row.status} className="shrink-0" />
        ) : (
          <span className={`shrink-0 text-xs ${TIMELINE_WORD_CLASS[row.status as keyof typeof TIMELINE_WORD_CLASS]}`}>
            {row.status}
          </span>
        )}
      </div>
      <div className="relative h-full flex-1">
        {bars.length === 0 ? <span className="sr-only">, no connection</span> : null}
        {bars.map((bar) => (
          <span
            key={bar.key}
            role="img"
            tabIndex={0}
            aria-label={bar.label}
            title={bar.provenance ? `${bar.label}\n${bar.provenance}` : bar.label}
            onFocus={() => onFocusBar(bar)}
            onBlur={() => onFocusBar(null)}
            className={`absolute top-2 bottom-2 rounded-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 ${TIMELINE_BAR_CLASS[row.status]}`}
            style={{ left: `${pct(bar.from)}%`, width: `${pct(bar.to) - pct(bar.from)}%`, minWidth: "4px" }}
          >
            {bar.open && (
              <span
                aria-hidden="true"
                className="absolute -inset-y-0.5 right-0 w-1 rounded-full bg-slate-900 motion-safe:animate-pulse"
              />
            )}
          </span>
        ))}
        {late !== null && late >= axisStart && late <= axisEnd && (
          <span
            role="img"
            aria-label={`${row.name} late, arrived ${fmt(late)}`}
            title={`Late: arrived ${fmt(late)}`}
            className="absolute inset-y-0.5 w-1.5 -translate-x-1/2 rounded-full bg-amber-700 ring-1 ring-white"
            style={{ left: `${pct(late)}%` }}
          />
        )}
      </div>
    </div>
  );
}

function Legend({ statuses }: { statuses: TimelineStatus[] }): JSX.Element {
  const swatch = "inline-block h-3 w-3 shrink-0 rounded-sm";
  return (
    <ul aria-label="Legend" className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {statuses.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={`${swatch} ${TIMELINE_BAR_CLASS[status]}`} />
          {status}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} border border-slate-300 bg-slate-100`} />
        preparation (not counted)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} border border-amber-300 bg-amber-50`} />
        grace
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="inline-block h-3 w-1.5 shrink-0 rounded-full bg-amber-700" />
        late arrival
      </li>
    </ul>
  );
}
