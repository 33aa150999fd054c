import "server-only";
import { cron } from "inngest";
import { getPool } from "../lib/db/client.ts";
import { env } from "../lib/env.ts";
import { SWEEP_LOOKBACK_DAYS } from "../lib/calculation/due-time.ts";
import { findSessionsToCalculate } from "../lib/calculation/find-sessions-to-calculate.ts";
import { calculationDue, inngest } from "../lib/scheduling/inngest-client.ts";

/** Inngest accepts at most 5,000 events per send. */
export const SWEEP_FAN_OUT = 5_000;

// sweep: the backstop. Every 5 minutes, sessions of the last SWEEP_LOOKBACK_DAYS days whose window ended more than
// the delay ago and are still uncalculated get a calculation event each, in batches.
export const sweep = inngest.createFunction(
  { id: "sweep", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const sessionIds = await step.run("find-due-sessions", () =>
      findSessionsToCalculate(getPool(), {
        now: new Date(),
        delayMinutes: env().ROLLCALL_CALC_DELAY_MINUTES,
        days: SWEEP_LOOKBACK_DAYS,
      }),
    );
    const dueAt = new Date().toISOString();
    for (let i = 0; i < sessionIds.length; i += SWEEP_FAN_OUT) {
      await step.sendEvent(
        `fan-out-${i / SWEEP_FAN_OUT}`,
        sessionIds
          .slice(i, i + SWEEP_FAN_OUT)
          .map((sessionId) => calculationDue.create({ sessionId, dueAt, reason: "sweep" })),
      );
    }
    return { sent: sessionIds.length };
  },
);
