// Better Auth's endpoints: sign-in, sign-out, session (lib/auth/auth.ts switches the others off).
import { getAuth } from "@/lib/auth/auth.ts";
import { getPool } from "@/lib/db/client.ts";
import { isDatabaseUnavailable } from "@/lib/errors.ts";

export const dynamic = "force-dynamic";

const databaseUnavailable = () =>
  Response.json(
    { code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; retry later." },
    { status: 503, headers: { "retry-after": "5", "cache-control": "no-store" } },
  );

/**
 * Better Auth answers 500 (or throws) for any failure of its own, a database outage included.
 * When the database is what failed, answer as every other route does: 503 with Retry-After (in
 * Better Auth's error shape, which its browser client reads).
 */
async function handle(request: Request): Promise<Response> {
  let response: Response;
  try {
    response = await getAuth().handler(request);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return databaseUnavailable();
    throw error;
  }
  if (response.status < 500) return response;
  const databaseUp = await Promise.resolve()
    .then(() => getPool().query("SELECT 1"))
    .then(
      () => true,
      () => false,
    );
  return databaseUp ? response : databaseUnavailable();
}

export const GET = handle;
export const POST = handle;
