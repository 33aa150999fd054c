import "server-only";
import { getPool, getPrisma } from "../lib/db/client.ts";
import { env } from "../lib/env.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { sessionCalculationDueAt } from "../lib/calculation/session-due.ts";
import { calculationDue, inngest, PER_SESSION_CONCURRENCY } from "../lib/scheduling/inngest-client.ts";

// calculate-session: runs at a session's due time (the event's `ts`). It re-reads the session first:
// if the class was moved later, a newer event is already scheduled and this one does nothing.
export const calculateSession = inngest.createFunction(
  { id: "calculate-session", triggers: [calculationDue], concurrency: [PER_SESSION_CONCURRENCY], retries: 5 },
  async ({ event, step }) => {
    const { sessionId } = event.data;
    const dueAt = await step.run("read-due-time", async () => {
      const due = await sessionCalculationDueAt(getPrisma(), sessionId, env().ROLLCALL_CALC_DELAY_MINUTES);
      return due?.toISOString() ?? null;
    });
    if (dueAt === null) return { sessionId, status: "cancelled-or-missing" as const };
    if (new Date(dueAt).getTime() > Date.now()) return { sessionId, status: "not-due-yet" as const, dueAt };
    const summary = await step.run("calculate", () =>
      calculateSessions({ pool: getPool(), sessionIds: [sessionId], trigger: "scheduled" }),
    );
    return {
      sessionId,
      status: summary.sessions ? ("calculated" as const) : ("already-calculated" as const),
      students: summary.students,
      teachers: summary.teachers,
      guests: summary.guests,
      failures: summary.failures,
    };
  },
);
