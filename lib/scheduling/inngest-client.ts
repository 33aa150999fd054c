import "server-only";
import { Inngest, eventType, staticSchema } from "inngest";

export const inngest = new Inngest({ id: "rollcall" });

type CalculationReason = "scheduled" | "room-finished" | "sweep";

/** A session's attendance should be calculated now (sent with a future `ts` for its due time). */
export const calculationDue = eventType("rollcall/session.calculation-due", {
  schema: staticSchema<{ sessionId: string; dueAt: string; reason: CalculationReason }>(),
});

/** Someone asked to recalculate a session now (the dashboard's button, the API, the CLI). */
export const recalculationRequested = eventType("rollcall/session.recalculation-requested", {
  /** requestedAt: the database's clock when it was asked for (absent in events sent before it existed). */
  schema: staticSchema<{ sessionId: string; requestedBy: string; requestId: string; requestedAt?: string }>(),
});

/** Someone asked to recalculate many sessions at once (POST /api/v1/recalculations); at most 250 per event. */
export const bulkRecalculationRequested = eventType("rollcall/sessions.recalculation-requested", {
  schema: staticSchema<{ sessionIds: string[]; requestedBy: string; requestId: string; requestedAt: string }>(),
});

/** Both calculation functions share one queue per session, so a forced run waits behind a running one. */
export const PER_SESSION_CONCURRENCY = { key: "event.data.sessionId", scope: "env" as const, limit: 1 };
