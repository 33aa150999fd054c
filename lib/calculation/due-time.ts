// When a calculation is due, defined once (ATTENDANCE_RULES.md section 7). Pure: the webhook, the
// scheduler, the session page and the sweep all read it from here.

/** How far back the sweep (Inngest's cron, the in-process runner, the CLI's default) looks for sessions still to calculate. */
export const SWEEP_LOOKBACK_DAYS = 7;

/** A session's calculation is due at the end of its window plus the delay (ROLLCALL_CALC_DELAY_MINUTES). */
export function calculationDueAt(windowEnd: Date, delayMinutes: number): Date {
  return new Date(windowEnd.getTime() + delayMinutes * 60_000);
}
