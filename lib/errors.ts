import { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "unavailable";

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** An error meant for the caller: its message is shown as is, so it never carries internals. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode | "internal"; message: string; details?: unknown };
}

// Prisma's codes for a database it cannot reach or talk to: P1001 unreachable, P1002 timed out,
// P1008 operation timed out, P1017 connection closed, P2024 no connection from the pool in time,
// P2037 too many connections.
const PRISMA_UNAVAILABLE_CODES = /^(P1001|P1002|P1008|P1017|P2024|P2037)$/;
// The same failures as the driver adapter names them (its error sits in a Prisma error's meta).
const ADAPTER_UNAVAILABLE_KINDS = /^(DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections)$/;
// Node's socket errors and PostgreSQL's SQLSTATEs for a server going away or refusing connections.
const DRIVER_UNAVAILABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57P0[1-3]|08\d\d\d|53300)$/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server|Server has closed the connection|DATABASE_URL is not set/i;

/**
 * Connection-level failures: the database is down or unreachable, so the caller should retry. Looks
 * through the whole chain an error carries: `cause`, a Prisma error's driver adapter error
 * (`meta.driverAdapterError`, whose `cause` holds the adapter's `kind` and PostgreSQL's code), and
 * an AggregateError's errors (a refused connection to each address of a host).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length) {
    const current = pending.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { code, kind, originalCode, message, cause, meta, errors } = current as Record<string, unknown>;
    if (typeof code === "string" && (DRIVER_UNAVAILABLE_CODES.test(code) || PRISMA_UNAVAILABLE_CODES.test(code)))
      return true;
    if (typeof originalCode === "string" && DRIVER_UNAVAILABLE_CODES.test(originalCode)) return true;
    if (typeof kind === "string" && ADAPTER_UNAVAILABLE_KINDS.test(kind)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    pending.push(cause, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}

/** The single mapping from an error to an HTTP answer. Unknown errors are logged, never shown. */
export function errorToResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    return Response.json(body, { status: error.status });
  }
  if (error instanceof z.ZodError) {
    return errorToResponse(new AppError("validation_failed", "The request is not valid.", formatZodIssues(error)));
  }
  const prismaCode =
    (error as { name?: string; code?: string } | null)?.name === "PrismaClientKnownRequestError"
      ? (error as { code: string }).code
      : null;
  if (prismaCode === "P2002")
    return errorToResponse(new AppError("conflict", "The request conflicts with a concurrent change; retry it."));
  if (prismaCode === "P2025") return errorToResponse(new AppError("not_found", "Not found."));
  if (isDatabaseUnavailable(error)) {
    console.error("[rollcall] database unavailable:", (error as Error).message);
    const body: ErrorBody = { error: { code: "unavailable", message: "The database is unavailable; retry later." } };
    return Response.json(body, { status: 503, headers: { "retry-after": "5" } });
  }
  console.error("[rollcall] unexpected error:", error);
  const body: ErrorBody = { error: { code: "internal", message: "Something went wrong; it has been logged." } };
  return Response.json(body, { status: 500 });
}

export function formatZodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}
