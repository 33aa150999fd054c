import "server-only";
import path from "node:path";
import type { EmbeddedDatabase } from "../lib/db/embedded.ts";
import { closeDb, getPrisma, type PrismaClient } from "../lib/db/client.ts";
import { env, setDatabaseUrl } from "../lib/env.ts";

export interface CliDatabase {
  prisma: PrismaClient;
  describe: string;
  close(): Promise<void>;
}

/**
 * The database a command works on: DATABASE_URL when set; else the embedded database, shared with
 * a running app when there is one, or opened just for this command.
 */
async function openDatabase(): Promise<CliDatabase> {
  const config = env();
  let embedded: EmbeddedDatabase | null = null;
  let describe = "DATABASE_URL";
  if (!config.DATABASE_URL) {
    const dataDir = path.resolve(config.ROLLCALL_DATA_DIR);
    // Imported only here: with a DATABASE_URL nothing of the embedded database is loaded.
    const { startEmbeddedDatabase } = await import("../lib/db/embedded.ts");
    embedded = await startEmbeddedDatabase({
      dataDir,
      port: config.ROLLCALL_EMBEDDED_DB_PORT,
      share: false,
      idleInTransactionTimeoutMs: config.ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS * 1000,
    });
    setDatabaseUrl(embedded.url, { embedded: true });
    describe = `embedded database in ${dataDir}${embedded.isOwner ? "" : " (shared with the running app)"}`;
  }
  return {
    prisma: getPrisma(),
    describe,
    async close() {
      await closeDb();
      await embedded?.stop();
    },
  };
}

/**
 * Runs a command's work on the database (DATABASE_URL, or the embedded one) and closes it after,
 * whether the work returned or threw: every command's open, try, finally close, in one place.
 */
export async function withDatabase<T>(work: (db: CliDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
