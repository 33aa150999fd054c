import "server-only";
import { getPool } from "../lib/db/client.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { inngest, PER_SESSION_CONCURRENCY, recalculationRequested } from "../lib/scheduling/inngest-client.ts";

// recalculate: a forced recalculation someone asked for. It queues behind a running calculation of
// the same session (shared concurrency key) and is never dropped (no rate limit, no singleton).
export const recalculate = inngest.createFunction(
  { id: "recalculate", triggers: [recalculationRequested], concurrency: [PER_SESSION_CONCURRENCY], retries: 5 },
  async ({ event, step }) => {
    const summary = await step.run("calculate", () =>
      calculateSessions({
        pool: getPool(),
        sessionIds: [event.data.sessionId],
        force: true,
        requestedAt: event.data.requestedAt ? new Date(event.data.requestedAt) : undefined,
        trigger: "manual",
      }),
    );
    return {
      sessionId: event.data.sessionId,
      requestedBy: event.data.requestedBy,
      students: summary.students,
      teachers: summary.teachers,
      guests: summary.guests,
      failures: summary.failures,
    };
  },
);
