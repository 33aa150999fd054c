// POST /api/v1/sessions/:sessionId/recalculate – force a recalculation; 202, it runs in the background.
import { getPrisma } from "@/lib/db.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { AppError } from "@/lib/errors.ts";
import { getScheduler } from "@/lib/scheduling/attendance-scheduler.ts";
import { getSessionOrThrow } from "@/lib/sessions/session-view.ts";
import { hasWindowEnded } from "@/lib/reports/session-due.ts";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  const session = await getSessionOrThrow(getPrisma(), principal.academyId, params.sessionId);
  if (session.status === "cancelled") throw new AppError("conflict", "The session is cancelled; there is nothing to calculate.");
  if (!hasWindowEnded(session, new Date())) throw new AppError("conflict", "The class has not ended yet; its attendance is calculated once it has.");
  let requestId: string;
  try {
    ({ requestId } = await getScheduler().requestRecalculation(session.id, `api-key:${principal.apiKeyId}`));
  } catch (error) {
    console.error("[rollcall] recalculation not queued:", (error as Error).message);
    throw new AppError("unavailable", "The recalculation could not be queued; retry later.");
  }
  return Response.json({ sessionId: session.id, requestId, status: "queued" }, { status: 202, headers: { location: `/api/v1/sessions/${session.id}/report` } });
});
