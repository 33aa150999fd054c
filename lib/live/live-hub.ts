import "server-only";
import pg from "pg";
import { env } from "../env.ts";

export const LIVE_CHANNEL = "rollcall_live";

/** A change to a session, as published on LIVE_CHANNEL; "resync" means changes may have been missed. */
export type LiveEvent =
  { sessionId: string; event: string; identity?: string | null } | { sessionId: "*"; event: "resync" };
type Listener = (event: LiveEvent) => void;

/**
 * One LISTEN connection per process, fanned out to every open live view. The database notifies on
 * every stored webhook and every finished calculation, so views update without polling. When the
 * connection drops it is re-opened with backoff and every view is told to resync, since
 * notifications sent meanwhile are gone.
 */
class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryDelayMs = 500;
  private retryTimer: NodeJS.Timeout | null = null;

  subscribe(sessionId: string, listener: Listener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) this.listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    void this.ensureConnected();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  /**
   * Resolves once this process LISTENs, or once the attempt failed (a reconnect follows, and its
   * "resync" covers what was missed). A stream says "ready" only after this, so a change stored
   * after a view's "ready" is announced to it, also on an instance that has just started.
   */
  listening(): Promise<void> {
    return this.ensureConnected();
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const url = env().DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url, application_name: "rollcall-live" });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      client.on("error", () => undefined);
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      try {
        this.dispatch(JSON.parse(message.payload) as LiveEvent);
      } catch {
        // A payload this version does not understand is no reason to drop the connection.
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      const reconnected = this.retryDelayMs > 500;
      this.client = client;
      this.retryDelayMs = 500;
      if (reconnected) this.broadcast({ sessionId: "*", event: "resync" });
    } catch {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect() {
    if (this.retryTimer || this.listeners.size === 0) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listeners.size > 0) void this.ensureConnected();
    }, delay);
    this.retryTimer.unref();
  }

  private dispatch(event: LiveEvent) {
    for (const listener of this.listeners.get(event.sessionId) ?? []) listener(event);
  }

  private broadcast(event: LiveEvent) {
    for (const set of this.listeners.values()) for (const listener of set) listener(event);
  }
}

const globals = globalThis as unknown as { rollcallLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  globals.rollcallLiveHub ??= new LiveHub();
  return globals.rollcallLiveHub;
}
