import "server-only";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { env, isEmbeddedDatabase } from "../env.ts";
import { livePublisher } from "../live/publish.ts";

// One pool per process, shared by Prisma and the raw-SQL hot path (webhook ingest). Cached on
// globalThis because Next.js may load this module more than once (instrumentation, route bundles,
// dev reloads).
interface DbGlobals {
  rollcallPool?: pg.Pool;
  rollcallPrisma?: PrismaClient;
}
const globals = globalThis as unknown as DbGlobals;

// A request must fail fast (and LiveKit retry) rather than hang while the database is down.
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * How long the app's new connections may take: 5 s beyond the longest a database that is up can
 * make one wait. PostgreSQL answers a connection at once; the embedded database serves one
 * transaction at a time, so a connection's start waits behind a transaction left idle until that is
 * cut off (ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS). With 5 s on both sides the app answered
 * 503 instead of waiting for the cut-off whenever its timeout fired first (seen in CI).
 */
function connectionTimeoutMs(): number {
  return (
    CONNECTION_TIMEOUT_MS + (isEmbeddedDatabase() ? env().ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS * 1000 : 0)
  );
}

export function createPool(
  connectionString: string,
  max = env().ROLLCALL_DB_POOL_SIZE,
  connectionTimeoutMillis = CONNECTION_TIMEOUT_MS,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis,
    query_timeout: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", (error) => console.error("[rollcall] idle database connection lost:", error.message));
  return pool;
}

export function getPool(): pg.Pool {
  if (!globals.rollcallPool) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set and the embedded database is not running");
    globals.rollcallPool = createPool(url, env().ROLLCALL_DB_POOL_SIZE, connectionTimeoutMs());
  }
  return globals.rollcallPool;
}

export function getPrisma(): PrismaClient {
  // Prisma's defaults (2 s to get a connection for a transaction, 5 s to finish it) answer a 500
  // when the pool is merely busy (seen creating classes in parallel on two loaded cores); waiting as
  // long as a query may (query_timeout) is the same limit everywhere.
  globals.rollcallPrisma ??= new PrismaClient({
    adapter: new PrismaPg(getPool()),
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
  return globals.rollcallPrisma;
}

export async function closeDb(): Promise<void> {
  const { rollcallPrisma, rollcallPool } = globals;
  globals.rollcallPrisma = undefined;
  globals.rollcallPool = undefined;
  await rollcallPrisma?.$disconnect();
  if (rollcallPool) await livePublisher(rollcallPool).flush();
  await rollcallPool?.end();
}

export type { PrismaClient };
