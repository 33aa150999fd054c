import "server-only";
import { getPool } from "../lib/db/client.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { bulkRecalculationRequested, inngest } from "../lib/scheduling/inngest-client.ts";

// recalculate-bulk: up to 250 sessions of a bulk request (POST /api/v1/recalculations) in one run
// of the calculation's batches. The sessions' own locks queue it behind a running calculation of
// any of them; never dropped (no rate limit), retried as a whole (a calculation is idempotent, and
// a session a retry finds already answered is left alone by requestedAt).
export const recalculateBulk = inngest.createFunction(
  { id: "recalculate-bulk", triggers: [bulkRecalculationRequested], retries: 5 },
  async ({ event, step }) => {
    const summary = await step.run("calculate", () =>
      calculateSessions({
        pool: getPool(),
        sessionIds: event.data.sessionIds,
        force: true,
        requestedAt: new Date(event.data.requestedAt),
        trigger: "manual",
      }),
    );
    return { requestId: event.data.requestId, sessions: summary.sessions, failures: summary.failures };
  },
);
