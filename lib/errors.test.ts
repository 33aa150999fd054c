import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, test } from "vitest";
import { Prisma } from "./generated/prisma/client.ts";
import { AppError, errorToResponse, isDatabaseUnavailable } from "./errors.ts";

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(`prisma error ${code}`, {
    code,
    clientVersion: "7.10.0",
    ...(meta ? { meta } : {}),
  });
const adapterError = (cause: Record<string, unknown>) =>
  new DriverAdapterError(cause as unknown as ConstructorParameters<typeof DriverAdapterError>[0]);
// What pg throws when the server goes away under a pooled connection.
const terminated = () => new Error("Connection terminated unexpectedly");

// The shapes Prisma 7 with @prisma/adapter-pg throws while PostgreSQL is down, each as seen by a
// route (directly, inside a Prisma error's meta, or wrapped by Better Auth's APIError as `cause`).
describe("isDatabaseUnavailable", () => {
  const unavailable: [string, unknown][] = [
    ["P1001: can't reach the server (a refused connection)", known("P1001")],
    ["P1017: the server closed the connection", known("P1017")],
    ["P2024: no pooled connection in time", known("P2024")],
    [
      "a raw query (P2010) whose adapter error is DatabaseNotReachable",
      known("P2010", { driverAdapterError: adapterError({ kind: "DatabaseNotReachable", host: "db", port: 5432 }) }),
    ],
    [
      "a query whose adapter error is ConnectionClosed",
      known("P2039", { driverAdapterError: adapterError({ kind: "ConnectionClosed" }) }),
    ],
    [
      "a query whose adapter error is PostgreSQL's 57P01 (admin shutdown)",
      known("P2039", {
        driverAdapterError: adapterError({
          kind: "postgres",
          code: "57P01",
          originalCode: "57P01",
          severity: "FATAL",
          message: "terminating connection due to administrator command",
        }),
      }),
    ],
    ["a driver adapter error alone", adapterError({ kind: "SocketTimeout" })],
    ["pg's terminated connection", terminated()],
    [
      "Better Auth's APIError wrapping a Prisma P1001",
      Object.assign(new Error("Failed to get session"), { name: "APIError", cause: known("P1001") }),
    ],
    [
      "a refused connection to each address (AggregateError)",
      new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })], ""),
    ],
  ];
  test.each(unavailable)("%s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = errorToResponse(error);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  const other: [string, unknown][] = [
    ["P2002: a unique constraint", known("P2002")],
    ["P2025: a missing record", known("P2025")],
    [
      "a query whose adapter error is a constraint violation",
      known("P2039", {
        driverAdapterError: adapterError({
          kind: "postgres",
          code: "23514",
          originalCode: "23514",
          severity: "ERROR",
          message: "check",
        }),
      }),
    ],
    ["an AppError", new AppError("not_found", "No such session.")],
    ["any other error", new Error("boom")],
    [
      "a cycle of causes",
      (() => {
        const a: { cause?: unknown } = {};
        a.cause = { cause: a };
        return a;
      })(),
    ],
    ["not an object", "P1001"],
  ];
  test.each(other)("not: %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
