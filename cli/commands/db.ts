import "server-only";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "../../lib/db/embedded.ts";
import { applyMigrations } from "../../lib/db/migrations.ts";
import { env } from "../../lib/env.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { DB_SERVE_OPTIONS } from "../definitions/database.ts";

/** Applies pending migrations to DATABASE_URL (the same bookkeeping as `prisma migrate deploy`). */
export async function dbMigrate(): Promise<number> {
  const url = env().DATABASE_URL;
  if (!url) {
    console.log("No DATABASE_URL: the embedded database applies its migrations whenever it opens.");
    return 0;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await applyMigrations(client);
    console.log(applied.length ? `Applied ${applied.join(", ")}.` : "The database is up to date.");
    return 0;
  } finally {
    await client.end();
  }
}

/** Serves the embedded database on its own, for psql or for tools that need it without the app. */
export async function dbServe({ values }: ParsedCommand<typeof DB_SERVE_OPTIONS>): Promise<number> {
  const config = env();
  const dataDir = path.resolve(values.data ?? config.ROLLCALL_DATA_DIR);
  const database = await startEmbeddedDatabase({
    dataDir,
    port: values.port ?? config.ROLLCALL_EMBEDDED_DB_PORT,
    share: true,
    idleInTransactionTimeoutMs: config.ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS * 1000,
  });
  // The password stays in its file (never on the screen or in logs); psql reads it from there.
  const psql = `psql "${database.displayUrl.replace("***", `$(cat '${database.passwordFile}')`)}"`;
  if (!database.isOwner) {
    console.log(
      `Already served by another process at ${database.displayUrl} (password in ${database.passwordFile}).\nConnect with: ${psql}`,
    );
    return 0;
  }
  console.log(
    `Embedded PostgreSQL serving ${dataDir} at ${database.displayUrl} (password in ${database.passwordFile}).\nConnect with: ${psql}`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await database.stop();
  return 0;
}
