import { BADGE_CLASS, statusLabel } from "../client/status-style.ts";

/** A status as text plus colour (never colour alone), for results and session states. */
export function StatusBadge({ status, className = "" }: { status: string; className?: string }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE_CLASS[status] ?? BADGE_CLASS.scheduled} ${className}`}
    >
      {status === "live" ? (
        <span aria-hidden className="mr-1 inline-block h-1.5 w-1.5 motion-safe:animate-pulse rounded-full bg-white" />
      ) : null}
      {statusLabel(status)}
    </span>
  );
}
