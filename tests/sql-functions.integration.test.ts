// Each SQL function's current text has one readable source, prisma/functions/<name>.sql; migrations
// install copies of it. On a freshly migrated database (PostgreSQL, and PGlite as the embedded
// default runs it) every function must be exactly what its source file says: the definition the
// database holds (pg_get_functiondef) is read, the source file is run over it in a transaction that
// is rolled back, and the two definitions must be equal. A function in the database with no source
// file, or a source file whose function no migration installs, fails too. Also here: the ingest
// function refuses a JSON key that names no column, rather than storing null in the column meant
// (a webhook alone is stored as a batch of one).
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyMigrations, type SqlRunner } from "../lib/db/migrations.ts";
import { createTestDatabase } from "./support/postgres.ts";

const FUNCTIONS_DIR = path.join(process.cwd(), "prisma", "functions");
const sources = fs
  .readdirSync(FUNCTIONS_DIR)
  .filter((file) => file.endsWith(".sql"))
  .sort()
  .map((file) => ({
    name: file.slice(0, -".sql".length),
    sql: fs.readFileSync(path.join(FUNCTIONS_DIR, file), "utf8"),
  }));

interface Database extends SqlRunner {
  exec(sql: string): Promise<unknown>;
}

/** The definition of every function in the public schema, by name (none is overloaded). */
async function definitions(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' ORDER BY p.proname`,
  );
  return new Map(rows.map((row) => [row.name, row.definition]));
}

const backends: { name: string; open(): Promise<{ db: Database; close(): Promise<void> }> }[] = [
  {
    name: "postgres",
    async open() {
      const database = await createTestDatabase("rollcall_functions");
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const db: Database = {
        query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as T[] }),
        exec: (sql: string) => client.query(sql),
      };
      return {
        db,
        async close() {
          await client.end();
          await database.drop();
        },
      };
    },
  },
  {
    name: "embedded",
    async open() {
      const lite = new PGlite();
      await lite.waitReady;
      const db: Database = {
        query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await lite.query<T>(sql, params)).rows }),
        exec: (sql: string) => lite.exec(sql),
      };
      return { db, close: () => lite.close() };
    },
  },
];

test("prisma/functions holds the functions the migrations install", () => {
  expect(sources.map((source) => source.name)).toEqual([
    "academy_first_policy_version",
    "override_event_is_immutable",
    "rollcall_append_only",
    "rollcall_record_webhooks",
    "rollcall_session_state",
    "rollcall_webhook_sessions",
    "rollcall_window_end",
    "webhook_event_is_immutable",
  ]);
  for (const source of sources)
    expect(source.sql, source.name).toMatch(new RegExp(`CREATE OR REPLACE FUNCTION "${source.name}"\\(`));
});

describe.each(backends)("on $name", (backend) => {
  let db: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await backend.open());
    await applyMigrations(db);
  });
  afterAll(async () => {
    await close?.();
  });

  test("every function is exactly its source file", async () => {
    const migrated = await definitions(db);
    expect([...migrated.keys()]).toEqual(sources.map((source) => source.name));
    await db.query("BEGIN");
    try {
      for (const source of sources) await db.exec(source.sql);
      const fromSources = await definitions(db);
      for (const source of sources)
        expect(
          migrated.get(source.name),
          `${source.name}: the migrated definition differs from prisma/functions/${source.name}.sql`,
        ).toBe(fromSources.get(source.name));
    } finally {
      await db.query("ROLLBACK");
    }
  });

  test("the ingest function refuses a key that names no column, and stores nothing", async () => {
    const record = (event: object) =>
      db.query<{ o_position: number; o_outcome: string; o_session_ids: string[] }>(
        `SELECT * FROM rollcall_record_webhooks(p_events => $1::jsonb)`,
        [JSON.stringify([event])],
      );
    const event = {
      id: "EV_keys",
      livekit_scope: "shared",
      event: "room_started",
      event_time: "2026-12-10T10:00:00.000Z",
      received_at: "2026-12-10T10:00:01.000Z",
      room_name: "room-keys",
      is_recorder: false,
      raw_body: "{}",
    };
    // event_time sent as eventTime: without the check it would be dropped and the insert would fail
    // only because the column is required; a nullable column would silently store null.
    const swapped = { ...event, event_time: undefined, eventTime: event.event_time };
    await expect(record(swapped)).rejects.toThrow(/unknown keys: eventTime/);
    await expect(record({ ...event, room: "room-other", roomSid: "RM_1" })).rejects.toThrow(
      /unknown keys: room, roomSid/,
    );
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_event`)).rows[0]!.n).toBe(0);

    expect((await record(event)).rows).toEqual([{ o_position: 1, o_outcome: "stored", o_session_ids: [] }]);
    expect((await record(event)).rows).toEqual([{ o_position: 1, o_outcome: "duplicate", o_session_ids: [] }]);
    const { rows } = await db.query<{ room_name: string; event_time: Date }>(
      `SELECT room_name, event_time FROM webhook_event WHERE id = 'EV_keys'`,
    );
    expect(rows).toEqual([{ room_name: "room-keys", event_time: new Date(event.event_time) }]);
  });
});
