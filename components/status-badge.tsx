const STYLES: Record<string, string> = {
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

// The session states (lib/attendance/lifecycle.ts): "ended" is the time between the end and the report.
const LABELS: Record<string, string> = { ended: "ended · awaiting calculation" };

/** A status as text plus colour (never colour alone), for results and session states. */
export function StatusBadge({ status, className = "" }: { status: string; className?: string }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status] ?? STYLES.scheduled} ${className}`}>
      {status === "live" ? <span aria-hidden className="mr-1 inline-block h-1.5 w-1.5 animate-pulse rounded-full bg-white" /> : null}
      {LABELS[status] ?? status}
    </span>
  );
}
