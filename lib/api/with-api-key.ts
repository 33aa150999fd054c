import "server-only";
import { authenticateApiKey, type ApiKeyPrincipal } from "../api-keys/api-keys.ts";
import { getPrisma } from "../db/client.ts";
import { AppError, errorToResponse } from "../errors.ts";
import { readParams } from "./read-request.ts";

export interface ApiContext<P> {
  request: Request;
  principal: ApiKeyPrincipal;
  params: P;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a /api/v1 route handler: authenticates the academy's API key, then maps every error through
 * the one error table. Handlers receive the academy from the key, never from the request.
 */
export function withApiKey<P = Record<string, never>>(handler: (context: ApiContext<P>) => Promise<Response>) {
  return async (request: Request, routeContext: RouteContext<P>): Promise<Response> => {
    try {
      const header = request.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw new AppError("unauthorized", "Send an academy API key as 'Authorization: Bearer <key>'.");
      const principal = await authenticateApiKey(getPrisma(), match[1]);
      if (!principal) throw new AppError("unauthorized", "The API key is not valid or has been revoked.");
      const response = await handler({ request, principal, params: await readParams(routeContext) });
      response.headers.set("cache-control", "no-store");
      return response;
    } catch (error) {
      return errorToResponse(error);
    }
  };
}
