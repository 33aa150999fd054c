import "server-only";
import type pg from "pg";
import { isDatabaseUnavailable } from "../errors.ts";

/** What storing one webhook did: stored, or a duplicate of one stored before (and so nothing). */
export interface RecordedRow {
  outcome: "stored" | "duplicate";
  /** The sessions of the signer's scope whose 60-minute margins around their schedule hold its room and time. */
  sessionIds: string[];
}

interface Pending {
  /** The event as rollcall_record_webhooks takes each: one JSON object keyed by column name. */
  json: string;
  resolve(row: RecordedRow): void;
  reject(error: unknown): void;
}

export interface WebhookWriterOptions {
  /** Writes under way at once in the normal run of things: the others queue for the next write. */
  inFlight?: number;
  /** A write under way this long (waiting on a lock, say) no longer counts against `inFlight`… */
  stallMs?: number;
  /** …up to this many writes at once, so one slow write never holds every other webhook back. */
  maxInFlight?: number;
  /** At most this many webhooks in one batch… */
  maxEvents?: number;
  /** …and about this many characters of JSON (a webhook's raw body may be up to 1 MiB). */
  maxChars?: number;
}

type Row = { o_position: number; o_outcome: "stored" | "duplicate"; o_session_ids: string[] };

/**
 * Stores verified webhooks, each answered only once its own transaction has committed, with as few
 * transactions as the load allows. A webhook that finds no write under way is written at once,
 * alone: an idle server adds no wait. Under load, those that arrive while a write is under way
 * queue and go together in the next, one statement and one commit for all
 * (rollcall_record_webhooks): a commit's WAL flush and the round trip are most of a webhook's
 * database cost (bench/ingest: 0.6 ms of PostgreSQL's CPU a webhook alone, 0.3 ms grouped).
 *
 * One write at a time groups best, but a write can wait: a calculation holds its sessions' locks
 * while it writes their reports, and a webhook for one of them (the next class in the same room)
 * waits for it. So a write under way for `stallMs` stops counting, and the queue moves on in
 * another, up to `maxInFlight`: one class's wait is never every class's.
 *
 * A batch that fails as a whole is retried one webhook at a time, each in its own transaction, so
 * one webhook's failure (a body the database refuses, a deadlock) is never another's; only a database
 * that cannot be reached fails them all, as it would have one by one (a 503 LiveKit retries).
 */
export class WebhookWriter {
  private queue: Pending[] = [];
  /** When each write under way started (performance.now()). */
  private writing = new Set<{ startedAt: number }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight: number;
  private readonly stallMs: number;
  private readonly maxInFlight: number;
  private readonly maxEvents: number;
  private readonly maxChars: number;

  constructor(
    private readonly pool: pg.Pool,
    { inFlight = 1, stallMs = 25, maxInFlight = 4, maxEvents = 100, maxChars = 1 << 20 }: WebhookWriterOptions = {},
  ) {
    this.inFlight = inFlight;
    this.stallMs = stallMs;
    this.maxInFlight = Math.max(inFlight, maxInFlight);
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length && this.writing.size < this.maxInFlight) {
      const now = performance.now();
      let moving = 0;
      let nextStall = Infinity;
      for (const write of this.writing) {
        const stallsAt = write.startedAt + this.stallMs;
        if (stallsAt > now) {
          moving += 1;
          nextStall = Math.min(nextStall, stallsAt);
        }
      }
      if (moving >= this.inFlight) {
        // Look again when the oldest write still counted would stall, unless one ends first.
        this.timer = setTimeout(() => this.pump(), Math.max(1, nextStall - now));
        this.timer.unref();
        return;
      }
      const batch = this.take();
      const write = { startedAt: now };
      this.writing.add(write);
      void this.write(batch).finally(() => {
        this.writing.delete(write);
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

  /**
   * One transaction for the batch (rollcall_record_webhooks; a webhook alone is a batch of one). A
   * batch of several that fails is written again one webhook at a time.
   */
  private async write(batch: Pending[]): Promise<void> {
    let rows: Row[];
    try {
      ({ rows } = await this.pool.query<Row>("SELECT * FROM rollcall_record_webhooks(p_events => $1::jsonb)", [
        `[${batch.map((pending) => pending.json).join(",")}]`,
      ]));
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.write([pending])));
      return;
    }
    const byPosition = new Map(rows.map((row) => [row.o_position, row]));
    batch.forEach((pending, index) => {
      const row = byPosition.get(index + 1);
      if (row) pending.resolve({ outcome: row.o_outcome, sessionIds: row.o_session_ids });
      else pending.reject(new Error("rollcall_record_webhooks returned no row for a webhook"));
    });
  }
}

const writers = new WeakMap<pg.Pool, WebhookWriter>();

/** The writer of a pool (one per pool, so every webhook a process receives can share a commit). */
export function webhookWriter(pool: pg.Pool): WebhookWriter {
  let writer = writers.get(pool);
  if (!writer) writers.set(pool, (writer = new WebhookWriter(pool)));
  return writer;
}
