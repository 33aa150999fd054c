import "server-only";
import type pg from "pg";
import { isDatabaseUnavailable } from "../errors.ts";

export interface RecordedRow {
  outcome: "stored" | "duplicate";
  sessionIds: string[];
}

interface Pending {
  /** The event as rollcall_record_webhook takes it: one JSON object keyed by column name. */
  json: string;
  resolve(row: RecordedRow): void;
  reject(error: unknown): void;
}

export interface WebhookWriterOptions {
  /** Batches written at once; a webhook arriving while this many are in flight waits for the next. */
  inFlight?: number;
  /** At most this many webhooks in one batch… */
  maxEvents?: number;
  /** …and about this many characters of JSON (a webhook's raw body may be up to 1 MiB). */
  maxChars?: number;
}

type Row = { o_outcome: "stored" | "duplicate"; o_session_ids: string[] };

/**
 * Stores verified webhooks, each answered only once its own transaction has committed, with as few
 * transactions as the load allows. A webhook that finds fewer than `inFlight` writes under way is
 * written at once, alone: an idle server adds no wait. Under load, those that arrive while the
 * writes are busy queue and go together in the next write, one statement and one commit for all
 * (rollcall_record_webhooks): a commit's WAL flush and the round trip are most of a webhook's
 * database cost, so the app keeps up with its framework instead of with PostgreSQL's commits.
 *
 * A batch that fails as a whole is retried one webhook at a time, each in its own transaction, so
 * one webhook's failure (a body the database refuses, a deadlock) is never another's; only a database
 * that cannot be reached fails them all, as it would have one by one (a 503 LiveKit retries).
 */
export class WebhookWriter {
  private queue: Pending[] = [];
  private writing = 0;
  private readonly inFlight: number;
  private readonly maxEvents: number;
  private readonly maxChars: number;

  constructor(
    private readonly pool: pg.Pool,
    { inFlight = 2, maxEvents = 100, maxChars = 1 << 20 }: WebhookWriterOptions = {},
  ) {
    this.inFlight = inFlight;
    this.maxEvents = maxEvents;
    this.maxChars = maxChars;
  }

  record(json: string): Promise<RecordedRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ json, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.writing < this.inFlight && this.queue.length) {
      const batch = this.take();
      this.writing += 1;
      void this.write(batch).finally(() => {
        this.writing -= 1;
        this.pump();
      });
    }
  }

  /** The oldest queued webhooks, up to the batch's limits (always at least one). */
  private take(): Pending[] {
    let chars = 0;
    let count = 0;
    while (count < this.queue.length && count < this.maxEvents) {
      chars += this.queue[count]!.json.length;
      if (count > 0 && chars > this.maxChars) break;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async write(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.writeAlone(batch[0]!);
    let rows: (Row & { o_position: number })[];
    try {
      ({ rows } = await this.pool.query<Row & { o_position: number }>(
        "SELECT * FROM rollcall_record_webhooks(p_events => $1::jsonb)",
        [`[${batch.map((pending) => pending.json).join(",")}]`],
      ));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.writeAlone(pending)));
      return;
    }
    const byPosition = new Map(rows.map((row) => [row.o_position, row]));
    batch.forEach((pending, index) => {
      const row = byPosition.get(index + 1);
      if (row) pending.resolve({ outcome: row.o_outcome, sessionIds: row.o_session_ids });
      else pending.reject(new Error("rollcall_record_webhooks returned no row for a webhook"));
    });
  }

  private async writeAlone(pending: Pending): Promise<void> {
    try {
      const { rows } = await this.pool.query<Row>("SELECT * FROM rollcall_record_webhook(p_event => $1::jsonb)", [
        pending.json,
      ]);
      const row = rows[0];
      if (!row) throw new Error("rollcall_record_webhook returned no row");
      pending.resolve({ outcome: row.o_outcome, sessionIds: row.o_session_ids });
    } catch (error) {
      pending.reject(error);
    }
  }
}

const writers = new WeakMap<pg.Pool, WebhookWriter>();

/** The writer of a pool (one per pool, so every webhook a process receives can share a commit). */
export function webhookWriter(pool: pg.Pool): WebhookWriter {
  let writer = writers.get(pool);
  if (!writer) writers.set(pool, (writer = new WebhookWriter(pool)));
  return writer;
}
