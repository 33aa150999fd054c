import { describe, expect, it, vi } from "vitest";
import { coalescedRefresh, REREAD_PATIENCE_MS, RefreshCoalescer } from "./live-refresh.ts";

// Steps: "change" (the stream announced one), "done" (the re-read in flight finished), "stop"
// (unmount). After each, what the coalescer says: change → "start" (re-read now) or "-" (not now);
// done → "again" (re-read once more now) or "idle"; stop → "".
type Step = "change" | "done" | "stop";
const run = (steps: Step[]) => {
  const coalescer = new RefreshCoalescer();
  return steps.map((step) => {
    if (step === "change") return coalescer.changed() ? "start" : "-";
    if (step === "done") return coalescer.finished() ? "again" : "idle";
    coalescer.stop();
    return "";
  });
};

describe("RefreshCoalescer", () => {
  it.each<[string, Step[], string[]]>([
    ["one change: one re-read, at once", ["change", "done"], ["start", "idle"]],
    [
      "a change during an in-flight re-read: exactly one more, after it",
      ["change", "change", "done", "done"],
      ["start", "-", "again", "idle"],
    ],
    [
      "three changes during one re-read fold into one more",
      ["change", "change", "change", "change", "done", "done"],
      ["start", "-", "-", "-", "again", "idle"],
    ],
    [
      "a change during the second re-read: a third",
      ["change", "change", "done", "change", "done", "done"],
      ["start", "-", "again", "-", "again", "idle"],
    ],
    [
      "changes apart, each after the last re-read finished: each at once",
      ["change", "done", "change", "done"],
      ["start", "idle", "start", "idle"],
    ],
    [
      "stopped with a change waiting: nothing more",
      ["change", "change", "stop", "done", "change"],
      ["start", "-", "", "idle", "-"],
    ],
    ["stopped while idle: nothing starts", ["stop", "change"], ["", "-"]],
  ])("%s", (_, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });
});

/** A re-read the test finishes by hand. */
function rereads() {
  const calls: { finish(): void; fail(): void }[] = [];
  const reread = () =>
    new Promise<void>((resolve, reject) => {
      calls.push({ finish: resolve, fail: () => reject(new Error("offline")) });
    });
  return { calls, reread };
}
/** Lets the promise callbacks run (one turn of the event loop; no time passes on any clock). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("coalescedRefresh", () => {
  it("re-reads at once, and once more after a change that came during the re-read", async () => {
    const { calls, reread } = rereads();
    const refresh = coalescedRefresh(reread);
    refresh.changed();
    expect(calls).toHaveLength(1);
    refresh.changed();
    refresh.changed();
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await settle();
    expect(calls).toHaveLength(2);
  });

  it("a failed re-read still leads to the one a later change asked for", async () => {
    const { calls, reread } = rereads();
    const refresh = coalescedRefresh(reread);
    refresh.changed();
    refresh.changed();
    calls[0]!.fail();
    await settle();
    expect(calls).toHaveLength(2);
  });

  it("after stop, nothing more is read", async () => {
    const { calls, reread } = rereads();
    const refresh = coalescedRefresh(reread);
    refresh.changed();
    refresh.changed();
    refresh.stop();
    calls[0]!.finish();
    await settle();
    refresh.changed();
    expect(calls).toHaveLength(1);
  });

  it("a re-read that never answers holds the next one back for REREAD_PATIENCE_MS, no longer", async () => {
    vi.useFakeTimers();
    try {
      const { calls, reread } = rereads();
      const refresh = coalescedRefresh(reread);
      refresh.changed();
      refresh.changed();
      await vi.advanceTimersByTimeAsync(REREAD_PATIENCE_MS - 1);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toHaveLength(2);
      calls[1]!.finish();
      await vi.advanceTimersByTimeAsync(REREAD_PATIENCE_MS);
      expect(calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
