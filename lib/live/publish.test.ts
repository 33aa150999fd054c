import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FLUSH_EVERY_MS, livePublisher } from "./publish.ts";

/** A pool that records each notify statement's payloads, and the fake clock's time it was sent at. */
function recordingPool() {
  const statements: { at: number; ids: string[] }[] = [];
  const pool = {
    query: async (_sql: string, [, payloads]: [string, string[]]) => {
      statements.push({ at: Date.now(), ids: payloads.map((p) => (JSON.parse(p) as { id: string }).id) });
      return { rows: [] };
    },
  };
  return { statements, publisher: livePublisher(pool as unknown as pg.Pool) };
}
const change = (id: string) => ({ sessionId: "s1", event: "participant_joined", identity: "amal", id });

describe("livePublisher", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"], now: 0 });
  });
  afterEach(() => vi.useRealTimers());

  it("sends a change after a quiet spell at once, with the others stored in the same turn", async () => {
    const { statements, publisher } = recordingPool();
    publisher.publish(change("a"));
    publisher.publish(change("b"));
    await vi.advanceTimersByTimeAsync(1);
    expect(statements).toEqual([{ at: 0, ids: ["a", "b"] }]);
  });

  it("holds changes within the window after a statement until the window ends, then sends them together", async () => {
    const { statements, publisher } = recordingPool();
    publisher.publish(change("a")); // t=0: sent at once
    await vi.advanceTimersByTimeAsync(5);
    publisher.publish(change("b")); // t=5: waits for t=20
    await vi.advanceTimersByTimeAsync(5);
    publisher.publish(change("c")); // t=10: with b
    await vi.advanceTimersByTimeAsync(15);
    publisher.publish(change("d")); // t=25: the window of the t=20 statement, so t=40
    await vi.advanceTimersByTimeAsync(100);
    publisher.publish(change("e")); // t=125: quiet since t=40, at once
    await vi.advanceTimersByTimeAsync(1);
    expect(statements).toEqual([
      { at: 0, ids: ["a"] },
      { at: 20, ids: ["b", "c"] },
      { at: 40, ids: ["d"] },
      { at: 125, ids: ["e"] },
    ]);
  });

  it("under load sends at most one statement per window and loses nothing", async () => {
    const { statements, publisher } = recordingPool();
    // 500 changes, one every 2 ms (500 a second) for a second.
    for (let i = 0; i < 500; i++) {
      publisher.publish(change(String(i)));
      await vi.advanceTimersByTimeAsync(2);
    }
    await vi.advanceTimersByTimeAsync(FLUSH_EVERY_MS);
    // t=0, then every 20 ms up to t=1000: 51 statements.
    expect(statements.map((s) => s.at)).toEqual(Array.from({ length: 51 }, (_, i) => i * FLUSH_EVERY_MS));
    expect(statements.flatMap((s) => s.ids)).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
  });
});
