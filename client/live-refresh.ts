/**
 * When a live view re-reads after the stream announces changes. The first change after a quiet
 * moment starts a re-read at once; changes that arrive while a re-read is in flight are folded into
 * one more re-read, started when that one finishes. So the last change is always followed by a
 * re-read that started after it (the page never stays behind the database), at most one re-read is
 * in flight, and a burst of N changes costs two re-reads, not N.
 */
export class RefreshCoalescer {
  private inFlight = false;
  private pending = false;
  private stopped = false;

  /** A change was announced; true when the caller must start a re-read now. */
  changed(): boolean {
    if (this.stopped) return false;
    if (this.inFlight) {
      this.pending = true;
      return false;
    }
    this.inFlight = true;
    return true;
  }

  /** The re-read started last has finished (answered or failed); true when another must start now. */
  finished(): boolean {
    this.inFlight = false;
    if (this.stopped || !this.pending) return false;
    this.pending = false;
    this.inFlight = true;
    return true;
  }

  /** The view is gone: nothing more starts. */
  stop(): void {
    this.stopped = true;
  }
}

/**
 * After this long a re-read that has not answered no longer holds the next one back: that one
 * starts (React Query cancels the stalled fetch when it re-reads), so a stalled request cannot
 * stop the page from following the stream.
 */
export const REREAD_PATIENCE_MS = 10_000;

/** `changed` to call on each announcement, `stop` on unmount; `reread` resolves or rejects when done. */
export function coalescedRefresh(reread: () => Promise<unknown>): { changed(): void; stop(): void } {
  const state = new RefreshCoalescer();
  const run = (): void => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, REREAD_PATIENCE_MS)));
    void Promise.race([reread().catch(() => undefined), patience]).then(() => {
      clearTimeout(timer);
      if (state.finished()) run();
    });
  };
  return {
    changed: () => {
      if (state.changed()) run();
    },
    stop: () => state.stop(),
  };
}
