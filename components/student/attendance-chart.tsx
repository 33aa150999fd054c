"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Label,
  LabelList,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
  type LabelProps,
  type TooltipContentProps,
} from "recharts";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/reports/result-status.ts";
import { formatPercent, plural } from "@/lib/words.ts";

export type ChartStatus = ResultStatus;

/** One session of the chart, with its words already written in the academy's zone by the server. */
export interface ChartPoint {
  sessionId: string;
  title: string;
  /** The axis's date: "3 Dec". */
  day: string;
  /** The tooltip's: "Wed 3 Dec 2026, 17:00". */
  when: string;
  percentage: number;
  status: ChartStatus;
}

// The status badges' hues, dark enough for 3:1 against white; the word is always beside the colour.
const STATUS_COLOUR: Record<ChartStatus, string> = {
  present: "#047857",
  late: "#b45309",
  partial: "#0369a1",
  absent: "#be123c",
  excused: "#6d28d9",
};
const STATUSES: readonly ChartStatus[] = RESULT_STATUSES;

function StatusBar(props: BarShapeProps) {
  const status = (props.payload as ChartPoint).status;
  return <Rectangle {...props} fill={STATUS_COLOUR[status]} radius={[2, 2, 0, 0]} />;
}

/** The status written upwards from the top of its bar, so a 0 % absence still says what it was. */
function StatusWord({ x, y, width, value }: LabelProps) {
  const cx = Number(x) + Number(width) / 2;
  const top = Number(y) - 6;
  return (
    <text
      x={cx}
      y={top}
      transform={`rotate(-90 ${cx} ${top})`}
      dominantBaseline="central"
      fontSize={11}
      fill="#334155"
      className="recharts-status-word"
    >
      {String(value)}
    </text>
  );
}

function ChartTooltip({ active, payload }: TooltipContentProps) {
  const point = active ? (payload[0]?.payload as ChartPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow">
      <p className="font-medium">{point.title}</p>
      <p className="text-slate-700">{point.when}</p>
      <p>
        {point.status} · {formatPercent(point.percentage, 1)} attended
      </p>
    </div>
  );
}

/**
 * The student's last sessions as a bar chart: the share of each class attended (0–100 %) against
 * the class's date, each bar in its result's colour with the result written above it, a legend
 * with the counts, and a tooltip per bar. The table under it says the same in text.
 */
export function AttendanceChart({ points, caption }: { points: ChartPoint[]; caption: string }) {
  const counts = Object.fromEntries(
    STATUSES.map((status) => [status, points.filter((point) => point.status === status).length]),
  ) as Record<ChartStatus, number>;
  return (
    <figure className="mt-6 rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="attendance-chart-caption">
      <figcaption id="attendance-chart-caption" className="text-sm font-medium text-slate-800">
        {caption}
      </figcaption>
      <div className="mt-2 h-72 w-full min-w-0" data-testid="attendance-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 288 }}>
          <BarChart data={points} margin={{ top: 56, right: 8, bottom: 28, left: 4 }} accessibilityLayer>
            <CartesianGrid vertical={false} strokeDasharray="3 3" stroke="#cbd5e1" />
            <XAxis
              dataKey="day"
              tick={{ fontSize: 12, fill: "#334155" }}
              interval="preserveStartEnd"
              minTickGap={8}
              stroke="#64748b"
            >
              <Label value="Class date" position="insideBottom" offset={-20} fontSize={12} fill="#334155" />
            </XAxis>
            <YAxis
              domain={[0, 100]}
              ticks={[0, 25, 50, 75, 100]}
              tickFormatter={(value: number) => `${value}%`}
              tick={{ fontSize: 12, fill: "#334155" }}
              width={52}
              stroke="#64748b"
            >
              <Label
                value="Attended (%)"
                angle={-90}
                position="insideLeft"
                offset={4}
                fontSize={12}
                fill="#334155"
                style={{ textAnchor: "middle" }}
              />
            </YAxis>
            <Tooltip content={ChartTooltip} cursor={{ fill: "#e2e8f0" }} />
            <Bar
              dataKey="percentage"
              name="Attended"
              shape={StatusBar}
              minPointSize={3}
              maxBarSize={56}
              isAnimationActive={false}
            >
              <LabelList dataKey="status" content={StatusWord} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700" aria-label="Results in the chart">
        {STATUSES.map((status) => (
          <li key={status} className="flex items-center gap-1.5">
            <span
              aria-hidden
              className="inline-block h-3 w-3 rounded-sm"
              style={{ backgroundColor: STATUS_COLOUR[status] }}
            />
            {status}: {plural(counts[status], "class")}
          </li>
        ))}
      </ul>
    </figure>
  );
}
