// GET|POST|PUT /api/inngest – Inngest's serve endpoint for the background functions.
import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest } from "@/lib/scheduling/inngest-client.ts";
import { functions } from "@/inngest/functions.ts";
import { isInngestConfigured } from "@/lib/env.ts";
import { AppError, errorToResponse } from "@/lib/errors.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 300;

const handlers = serve({ client: inngest, functions });

// Without Inngest the in-process runner does the background work, and the SDK would answer any
// caller with a 500 ("no signing key"): there is simply nothing here to call.
function whenConfigured(handler: (request: NextRequest, context: unknown) => Promise<Response>) {
  return async (request: NextRequest, context: unknown): Promise<Response> => {
    if (!isInngestConfigured()) {
      return errorToResponse(
        new AppError("not_found", "Inngest is not configured on this server; background work runs in-process."),
      );
    }
    return handler(request, context);
  };
}

export const GET = whenConfigured(handlers.GET);
export const POST = whenConfigured(handlers.POST);
export const PUT = whenConfigured(handlers.PUT);
