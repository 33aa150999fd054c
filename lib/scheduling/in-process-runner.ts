import "server-only";
import { getPool } from "../db/client.ts";
import { env } from "../env.ts";
import { calculateSessions } from "../calculation/calculate-sessions.ts";
import { SWEEP_LOOKBACK_DAYS } from "../calculation/due-time.ts";
import { findSessionsToCalculate } from "../calculation/find-sessions-to-calculate.ts";

/**
 * The single-process stand-in for Inngest's cron: on a timer, the same sweep (calculate sessions
 * that are due) through the same lib/ functions. Off whenever Inngest is configured, and with
 * ROLLCALL_SWEEP_INTERVAL_SECONDS=0. Ticks never overlap. Reconciliation (rules section 9) needs no
 * job: it is part of the fold every live view runs (lib/attendance, decision 13).
 */
export function startInProcessRunner(): { stop(): void } {
  const intervalMs = env().ROLLCALL_SWEEP_INTERVAL_SECONDS * 1000;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      const due = await findSessionsToCalculate(getPool(), {
        now,
        delayMinutes: env().ROLLCALL_CALC_DELAY_MINUTES,
        days: SWEEP_LOOKBACK_DAYS,
      });
      if (due.length) {
        // Small batches: on the embedded database a batch holds the whole database while it writes.
        const summary = await calculateSessions({
          pool: getPool(),
          sessionIds: due,
          trigger: "sweep",
          now,
          batchSize: 25,
        });
        console.log(
          `[rollcall] calculated ${summary.sessions} session(s), ${summary.students} student report(s)${summary.failures.length ? `, ${summary.failures.length} failed` : ""}`,
        );
      }
    } catch (error) {
      console.error("[rollcall] background sweep failed (retrying next tick):", (error as Error).message);
    } finally {
      running = false;
    }
  };
  // tick catches its own failures, so the timers may drop its promise.
  const first = setTimeout(() => void tick(), Math.min(5_000, intervalMs));
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
