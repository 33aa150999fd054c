import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebhookWriter } from "../lib/ingest/webhook-writer.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { uniqueName } from "./support/fixtures.ts";

// The ingest path's grouping of webhooks into shared transactions (lib/ingest/webhook-writer.ts,
// prisma/functions/rollcall_record_webhooks.sql). Every call below is made before the first write
// can answer, so which webhooks share a transaction is known: with one write in flight, the first
// goes alone and every later one waits for the next write, together.

/** One write at a time whatever happens, so which webhooks share a transaction is known. */
const ONE_AT_A_TIME = { inFlight: 1, maxInFlight: 1 };

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();

function webhook(id: string, room: string, minute: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    livekit_scope: "shared",
    event: "participant_joined",
    event_time: at(minute),
    received_at: at(minute),
    room_name: room,
    identity: `student-${id}`,
    is_recorder: false,
    raw_body: JSON.stringify({ event: "participant_joined", id }),
    ...extra,
  };
}

describe.each(backends())("grouped webhook writes on $name", (backend) => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  /** How many transactions wrote the log's rows of these ids (each transaction leaves its own xmin). */
  async function transactions(ids: string[]): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(DISTINCT xmin::text)::int AS n FROM webhook_event WHERE id = ANY($1::text[])",
      [ids],
    );
    return rows[0]!.n;
  }

  async function classIn(room: string) {
    const academy = uniqueName("writer");
    await db.pool.query("INSERT INTO academy (id, name, slug) VALUES ($1, $1, $1)", [academy]);
    const id = uniqueName("session");
    await db.pool.query(
      `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end, is_calculated)
       VALUES ($1, $2, 'academic', $1, $3, $4, $5, true)`,
      [id, academy, room, at(0), at(60)],
    );
    return id;
  }

  test("50 webhooks arriving together are stored in 2 transactions, each answered with its own outcome", async () => {
    const room = uniqueName("room");
    const sessionId = await classIn(room);
    const writer = new WebhookWriter(db.pool, ONE_AT_A_TIME);
    const ids = Array.from({ length: 50 }, (_, i) => uniqueName(`EV${i}`));
    // One id twice in the same batch: stored once, the copy is a duplicate.
    const calls = [...ids, ids[10]!].map((id, i) => writer.record(JSON.stringify(webhook(id, room, 5 + (i % 40)))));
    const results = await Promise.all(calls);

    expect(results.filter((r) => r.outcome === "stored")).toHaveLength(50);
    expect(results[50]).toEqual({ outcome: "duplicate", sessionIds: [] });
    expect(results[10]).toEqual({ outcome: "stored", sessionIds: [sessionId] });
    expect(results[0]).toEqual({ outcome: "stored", sessionIds: [sessionId] });
    expect(await transactions(ids)).toBe(2);
    const session = await db.pool.query<{ is_calculated: boolean }>("SELECT is_calculated FROM session WHERE id = $1", [
      sessionId,
    ]);
    expect(session.rows[0]!.is_calculated).toBe(false);
  });

  test("a webhook the database refuses fails alone: the others of its batch are stored", async () => {
    const room = uniqueName("room");
    await classIn(room);
    const writer = new WebhookWriter(db.pool, ONE_AT_A_TIME);
    const ids = Array.from({ length: 6 }, (_, i) => uniqueName(`EV${i}`));
    const calls = ids.map((id, i) =>
      writer.record(JSON.stringify(webhook(id, room, 5 + i, i === 3 ? { no_such_column: "x" } : {}))),
    );
    const settled = await Promise.allSettled(calls);

    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(String((settled[3] as PromiseRejectedResult).reason)).toMatch(/unknown keys: no_such_column/);
    const stored = await db.pool.query<{ id: string }>(
      "SELECT id FROM webhook_event WHERE id = ANY($1::text[]) ORDER BY id",
      [ids],
    );
    expect(stored.rows.map((r) => r.id)).toEqual(ids.filter((_, i) => i !== 3).sort());
    // The first alone, then the batch of five failed and was written one by one.
    expect(await transactions(ids)).toBe(5);
  });

  test("webhooks of many rooms in one batch: every session marked, each webhook with its own sessions", async () => {
    const rooms = Array.from({ length: 5 }, () => uniqueName("room"));
    const sessions = await Promise.all(rooms.map((room) => classIn(room)));
    const writer = new WebhookWriter(db.pool, ONE_AT_A_TIME);
    const ids = Array.from({ length: 20 }, (_, i) => uniqueName(`EV${i}`));
    // Rooms interleaved in reverse order, and one event 2 hours out of every window (no session).
    const results = await Promise.all(
      ids.map((id, i) => writer.record(JSON.stringify(webhook(id, rooms[4 - (i % 5)]!, i === 19 ? 200 : 10)))),
    );
    ids.forEach((_, i) =>
      expect(results[i]).toEqual({ outcome: "stored", sessionIds: i === 19 ? [] : [sessions[4 - (i % 5)]] }),
    );
    const marked = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM session WHERE id = ANY($1::text[]) AND NOT is_calculated",
      [sessions],
    );
    expect(marked.rows[0]!.n).toBe(5);
  });

  test("a database that cannot be reached fails every waiting webhook, and none is answered as stored", async () => {
    const nowhere = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/none", max: 2 });
    try {
      const writer = new WebhookWriter(nowhere, { inFlight: 1 });
      const settled = await Promise.allSettled(
        [1, 2, 3, 4].map((i) => writer.record(JSON.stringify(webhook(`EV-unreachable-${i}`, "room", 5)))),
      );
      expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    } finally {
      await nowhere.end();
    }
  });
});

// A calculation holds its sessions' locks while it writes their reports; a webhook for one of them
// waits. PostgreSQL only: the embedded database serves its connections one statement at a time.
describe.each(backends().filter((backend) => backend.name === "postgres"))(
  "a write waiting on a lock, on $name",
  (backend) => {
    let db: BackendDb;
    beforeAll(() => {
      db = connectBackend(backend);
    });
    afterAll(() => db.close());

    test("holds back only its own webhook: the others are stored in another write meanwhile", async () => {
      const rooms = [uniqueName("room"), uniqueName("room")];
      const academy = uniqueName("writer");
      await db.pool.query("INSERT INTO academy (id, name, slug) VALUES ($1, $1, $1)", [academy]);
      const sessions = rooms.map(() => uniqueName("session"));
      for (const [i, room] of rooms.entries())
        await db.pool.query(
          `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end)
           VALUES ($1, $2, 'academic', $1, $3, $4, $5)`,
          [sessions[i], academy, room, at(0), at(60)],
        );
      // The lock a calculation of the first class takes (exclusive), held by another connection.
      const calculation = await db.pool.connect();
      await calculation.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [sessions[0]]);
      try {
        const writer = new WebhookWriter(db.pool, { inFlight: 1, stallMs: 25, maxInFlight: 4 });
        let blockedDone = false;
        const blocked = writer.record(JSON.stringify(webhook(uniqueName("EV-blocked"), rooms[0]!, 5))).then((r) => {
          blockedDone = true;
          return r;
        });
        const others = await Promise.all(
          [1, 2, 3].map((i) => writer.record(JSON.stringify(webhook(uniqueName(`EV-other${i}`), rooms[1]!, 5 + i)))),
        );
        expect(others).toEqual([1, 2, 3].map(() => ({ outcome: "stored", sessionIds: [sessions[1]] })));
        expect(blockedDone).toBe(false);
        await calculation.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [sessions[0]]);
        expect(await blocked).toEqual({ outcome: "stored", sessionIds: [sessions[0]] });
      } finally {
        await calculation.query("SELECT pg_advisory_unlock_all()");
        calculation.release();
      }
    });
  },
);
