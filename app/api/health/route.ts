// GET /api/health – liveness and database reachability, for load balancers and test harnesses.
import { getPool } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    await getPool().query("SELECT 1");
    return Response.json({ ok: true, database: "up" });
  } catch {
    return Response.json({ ok: false, database: "down" }, { status: 503 });
  }
}
