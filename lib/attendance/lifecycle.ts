import { RECONCILIATION_MS } from "./events.ts";

/** Decision 12: a session's state, the same word in every list, page, API answer and CLI line. */
export const SESSION_STATES = ["scheduled", "live", "ended", "calculated", "cancelled"] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/**
 * scheduled → live → ended (awaiting calculation) → calculated, or cancelled. `windowEnd` is the
 * window end as the log knows it now (rules section 5): a class whose room finished early is ended
 * from then on, and live again if its teacher comes back before the scheduled end.
 */
export function sessionState({
  now,
  scheduledStart,
  windowEnd,
  cancelled,
  calculated,
}: {
  now: number;
  scheduledStart: number;
  windowEnd: number;
  cancelled: boolean;
  calculated: boolean;
}): SessionState {
  if (cancelled) return "cancelled";
  if (windowEnd <= now) return calculated ? "calculated" : "ended";
  return scheduledStart <= now ? "live" : "scheduled";
}

/** Rules section 9: connections still open this long after the window end are closed in the live view. */
export function isReconciled(now: number, windowEnd: number): boolean {
  return now >= windowEnd + RECONCILIATION_MS;
}
