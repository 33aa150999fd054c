// Better Auth's endpoints: sign-in, sign-out, session.
import { getAuth } from "@/lib/auth/auth.ts";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => getAuth().handler(request);
export const POST = (request: Request) => getAuth().handler(request);
