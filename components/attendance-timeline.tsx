import type { JSX } from "react";
import { zoneOffsetMs } from "@/lib/dashboard/zoned-time.ts";

export interface TimelineRow {
  identity: string;
  name: string;
  role: "teacher" | "student" | "guest";
  intervals: { start: string; end: string }[];
  open?: boolean;
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
}

const MINUTE = 60_000;
const TICK_STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360];
const MAX_TICKS = 12;

const BAR_CLASS: Record<TimelineRow["role"], string> = {
  teacher: "bg-indigo-500",
  student: "bg-emerald-500",
  guest: "bg-slate-400",
};

const OPEN_EDGE_CLASS: Record<TimelineRow["role"], string> = {
  teacher: "bg-indigo-800",
  student: "bg-emerald-800",
  guest: "bg-slate-700",
};

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

export function AttendanceTimeline(props: AttendanceTimelineProps): JSX.Element {
  const { preparationMinutes, graceMinutes, rows } = props;
  const timeZone = resolveTimeZone(props.timeZone);
  const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  const fmt = (t: number) => timeFormat.format(new Date(t));

  const start = parse(props.scheduledStart) ?? 0;
  const end = Math.max(parse(props.scheduledEnd) ?? start, start);
  const prepStart = start - Math.max(0, preparationMinutes) * MINUTE;
  const graceEnd = Math.min(start + Math.max(0, graceMinutes) * MINUTE, end);
  const axisStart = prepStart - 5 * MINUTE;
  const requestedAxisEnd = parse(props.axisEnd) ?? end + 10 * MINUTE;
  // Guard against a zero or negative span so positions never divide by zero.
  const axisEnd = requestedAxisEnd > axisStart ? requestedAxisEnd : axisStart + MINUTE;
  const span = axisEnd - axisStart;

  const inAxis = (t: number) => t >= axisStart && t <= axisEnd;
  const pct = (t: number) => clamp(((t - axisStart) / span) * 100, 0, 100);

  const spanMinutes = span / MINUTE;
  const stepMin = TICK_STEPS_MIN.find((s) => Math.floor(spanMinutes / s) <= MAX_TICKS) ?? TICK_STEPS_MIN[TICK_STEPS_MIN.length - 1]!;
  const stepMs = stepMin * MINUTE;
  // Align ticks to round wall-clock minutes in the display zone, which may have a non-hour offset (e.g. +05:45).
  const offset = zoneOffsetMs(axisStart, timeZone);
  const ticks: number[] = [];
  for (let local = Math.ceil((axisStart + offset) / stepMs) * stepMs; local - offset <= axisEnd; local += stepMs) {
    ticks.push(local - offset);
  }

  const nowT = parse(props.now);
  const showNow = nowT !== null && inAxis(nowT);

  const band = (from: number, to: number) => ({ left: `${pct(from)}%`, width: `${Math.max(0, pct(to) - pct(from))}%` });
  const edgeLabelStyle = (t: number) => {
    const p = pct(t);
    if (p < 4) return { left: `${p}%` };
    if (p > 96) return { right: `${100 - p}%` };
    return { left: `${p}%`, transform: "translateX(-50%)" };
  };

  const caption =
    `Class from ${fmt(start)} to ${fmt(end)}; preparation opens at ${fmt(prepStart)}; ` +
    `grace until ${fmt(graceEnd)}. ` +
    (rows.length === 0 ? "Nobody has joined yet." : `${rows.length} ${rows.length === 1 ? "person" : "people"} shown.`);

  return (
    <figure role="group" aria-label="Timeline of presence against the class window" className="w-full">
      <figcaption className="sr-only">{caption}</figcaption>
      <div className="overflow-x-auto">
        <div className="relative min-w-[36rem] text-xs text-slate-700">
          <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 right-0 left-40">
            {prepStart < start && <div className="absolute inset-y-0 bg-slate-100" style={band(prepStart, start)} />}
            {start < end && (
              <div
                className={`absolute inset-y-0 bg-white ${inAxis(start) ? "border-l border-indigo-500" : ""} ${inAxis(end) ? "border-r border-indigo-500" : ""}`}
                style={band(start, end)}
              />
            )}
            {start < graceEnd && <div className="absolute inset-y-0 bg-amber-50" style={band(start, graceEnd)} />}
            {start === end && inAxis(start) && <div className="absolute inset-y-0 w-px bg-indigo-500" style={{ left: `${pct(start)}%` }} />}
            {ticks.map((t) => (
              <div key={t} className="absolute top-10 bottom-5 w-px bg-slate-200/70" style={{ left: `${pct(t)}%` }} />
            ))}
            {start < graceEnd && inAxis(start) && <div className="absolute inset-y-0 w-px bg-indigo-500" style={{ left: `${pct(start)}%` }} />}
            {showNow && <div className="absolute inset-y-0 w-0.5 -translate-x-1/2 bg-rose-500" style={{ left: `${pct(nowT)}%` }} />}
          </div>

          <div aria-hidden="true" className="relative flex h-5">
            <div className="w-40 shrink-0" />
            <div className="relative flex-1 text-[10px] uppercase tracking-wide">
              {prepStart < start && (
                <span className="absolute top-1 truncate text-center text-slate-500" style={band(Math.max(prepStart, axisStart), start)}>
                  preparation
                </span>
              )}
              {start < graceEnd && (
                <span className="absolute top-1 truncate text-center text-amber-700" style={band(start, graceEnd)}>
                  grace
                </span>
              )}
              {showNow && (
                <span className="absolute top-1 rounded bg-rose-500 px-1 font-semibold text-white" style={edgeLabelStyle(nowT)}>
                  now
                </span>
              )}
            </div>
          </div>

          <div aria-hidden="true" className="relative flex h-5 border-b border-slate-200">
            <div className="w-40 shrink-0" />
            <div className="relative flex-1 tabular-nums text-slate-500">
              {ticks.map((t) => (
                <span key={t} className="absolute top-0.5 whitespace-nowrap" style={edgeLabelStyle(t)}>
                  {fmt(t)}
                </span>
              ))}
            </div>
          </div>

          {rows.length === 0 ? (
            <p className="relative py-3 pl-2 text-sm text-slate-500">Nobody has joined yet.</p>
          ) : (
            <div role="list" className="relative py-1">
              {rows.map((row) => (
                <TimelineRowView key={row.identity} row={row} axisStart={axisStart} axisEnd={axisEnd} pct={pct} fmt={fmt} />
              ))}
            </div>
          )}

          <div aria-hidden="true" className="relative flex h-5 border-t border-slate-200">
            <div className="w-40 shrink-0" />
            <div className="relative flex-1 text-[10px] font-medium uppercase tracking-wide text-indigo-600">
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
        </div>
      </div>
      <Legend />
    </figure>
  );
}

interface TimelineRowViewProps {
  row: TimelineRow;
  axisStart: number;
  axisEnd: number;
  pct: (t: number) => number;
  fmt: (t: number) => string;
}

function TimelineRowView({ row, axisStart, axisEnd, pct, fmt }: TimelineRowViewProps): JSX.Element {
  const late = parse(row.lateAt);
  const lastIndex = row.intervals.length - 1;

  return (
    <div role="listitem" className="flex h-7 items-center">
      <div className="w-40 shrink-0 truncate pr-3 text-sm text-slate-800" title={row.name}>
        {row.name}
      </div>
      <div className="relative h-full flex-1">
        {row.intervals.map((interval, i) => {
          const s = parse(interval.start);
          const e = parse(interval.end);
          if (s === null || e === null) return null;
          const from = Math.max(s, axisStart);
          const to = Math.min(e, axisEnd);
          if (to < from) return null;
          const isOpen = row.open === true && i === lastIndex;
          const label = `${row.name} present ${fmt(s)} to ${fmt(e)}${isOpen ? ", still in the room" : ""}`;
          return (
            <div
              key={`${i}-${interval.start}`}
              role="img"
              aria-label={label}
              title={label}
              className={`absolute top-1.5 bottom-1.5 rounded-sm ${BAR_CLASS[row.role]}`}
              style={{ left: `${pct(from)}%`, width: `${pct(to) - pct(from)}%`, minWidth: "2px" }}
            >
              {isOpen && <span aria-hidden="true" className={`absolute -inset-y-0.5 right-0 w-1 rounded-full motion-safe:animate-pulse ${OPEN_EDGE_CLASS[row.role]}`} />}
            </div>
          );
        })}
        {late !== null && late >= axisStart && late <= axisEnd && (
          <span
            role="img"
            aria-label={`${row.name} late, first joined ${fmt(late)}`}
            title={`Late: first joined ${fmt(late)}`}
            className="absolute inset-y-0.5 w-1 -translate-x-1/2 rounded-full bg-amber-600"
            style={{ left: `${pct(late)}%` }}
          />
        )}
      </div>
    </div>
  );
}

function Legend(): JSX.Element {
  const swatch = "inline-block h-3 w-3 shrink-0 rounded-sm";
  return (
    <ul aria-label="Legend" className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} bg-indigo-500`} />
        teacher
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} bg-emerald-500`} />
        student
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} bg-slate-400`} />
        guest
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} border border-slate-200 bg-slate-100`} />
        preparation
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`${swatch} border border-amber-200 bg-amber-50`} />
        grace
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="inline-block h-3 w-1 shrink-0 rounded-full bg-amber-600" />
        late marker
      </li>
    </ul>
  );
}
