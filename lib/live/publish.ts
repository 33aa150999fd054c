import "server-only";
import type pg from "pg";
import { LIVE_CHANNEL } from "./live-hub.ts";

export interface LiveChange {
  sessionId: string;
  event: string;
  identity: string | null;
  /** The webhook's id: identical payloads in one transaction would be delivered once. */
  id: string;
}

/** At most one notify statement per this many milliseconds: the batching under load. */
export const FLUSH_EVERY_MS = 20;

/**
 * Announces stored webhooks on LIVE_CHANNEL after their transaction committed, many per statement.
 * Notifying inside each webhook's transaction made PostgreSQL serialize those commits through their
 * WAL flush; a separate notify-only statement writes no WAL and holds that lock only briefly. A
 * change after a quiet spell goes out at once (on the next turn of the event loop, with whatever
 * else that turn stored); the changes that follow within FLUSH_EVERY_MS of that statement wait for
 * the window to end and go out together, so under load there is still at most one statement per
 * window. The cost is that a crash between the commit and the flush (at most 20 ms) loses the
 * announcement, never the data: a live view then shows the change with the next one, or on reconnect.
 */
class LivePublisher {
  private pending: LiveChange[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = -Infinity;

  constructor(private readonly pool: () => pg.Pool) {}

  publish(change: LiveChange) {
    this.pending.push(change);
    if (!this.timer) {
      const wait = Math.min(FLUSH_EVERY_MS, Math.max(0, this.lastFlushAt + FLUSH_EVERY_MS - performance.now()));
      this.timer = setTimeout(() => void this.flush(), wait);
      // A one-off process (the CLI, a benchmark) need not wait for it; the server runs on anyway.
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.lastFlushAt = performance.now();
    try {
      await this.pool().query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [
        LIVE_CHANNEL,
        batch.map((change) => JSON.stringify(change)),
      ]);
    } catch (error) {
      console.error(`[rollcall] ${batch.length} live announcement(s) not sent:`, (error as Error).message);
    }
  }
}

const publishers = new WeakMap<pg.Pool, LivePublisher>();

/** The publisher of a pool (one per pool, so a process with one pool batches everything). */
export function livePublisher(pool: pg.Pool): LivePublisher {
  let publisher = publishers.get(pool);
  if (!publisher) publishers.set(pool, (publisher = new LivePublisher(() => pool)));
  return publisher;
}
