// Progress of a long run on standard error: a bar redrawn in place on a terminal, otherwise (a log,
// a pipe, CI) a line now and then. Both say done/total and an estimate of the time left. The clock
// and the output are passed in, so the whole behaviour is testable without waiting.

/** Time left at the pace so far, in milliseconds; null before anything is done (no pace yet). */
export function estimateTimeLeft(elapsedMs: number, done: number, total: number): number | null {
  if (done <= 0) return null;
  return (elapsedMs / done) * Math.max(total - done, 0);
}

/** `0:07`, `12:30`, `1:02:03`: whole seconds, rounded up so a run never ends "0:00" early. */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(Math.ceil(ms / 1000), 0);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** `250/300 sessions (83 %), about 0:02 left`; the percentage rounds down, so 100 % means done. */
export function describeProgress(done: number, total: number, leftMs: number | null, unit: string): string {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  const left =
    done >= total ? "done" : leftMs === null ? "estimating the time left" : `about ${formatTimeLeft(leftMs)} left`;
  return `${done}/${total} ${unit} (${percent} %), ${left}`;
}

/** `[##########--------------------] ` followed by the description. */
export function renderProgressBar(
  done: number,
  total: number,
  leftMs: number | null,
  unit: string,
  width = 30,
): string {
  const filled = total > 0 ? Math.min(Math.floor((done / total) * width), width) : width;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${describeProgress(done, total, leftMs, unit)}`;
}

const ERASE_TO_END_OF_LINE = "\x1b[K";

export interface ProgressOptions {
  write: (text: string) => void;
  /** A terminal: redraw one bar in place. Otherwise print lines. */
  isTerminal: boolean;
  /** Milliseconds on any steady clock (performance.now). */
  clock: () => number;
  /** Between two lines when not on a terminal. */
  intervalMs?: number;
  unit: string;
  /** Before each line when not on a terminal. */
  label: string;
}

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the bar's line on a terminal; nothing otherwise. */
  finish(): void;
}

/**
 * On a terminal, every update redraws the bar. Otherwise the first update with something done prints
 * a line (the first estimate), then one every `intervalMs` at most; the last update prints none, as
 * the caller's summary follows.
 */
export function createProgress({
  write,
  isTerminal,
  clock,
  intervalMs = 5_000,
  unit,
  label,
}: ProgressOptions): Progress {
  const started = clock();
  let lastLineAt: number | null = null;
  let drawn = false;
  return {
    update(done, total) {
      const now = clock();
      const left = estimateTimeLeft(now - started, done, total);
      if (isTerminal) {
        // Back to the line's start, the bar, then erase what a longer bar before it left behind.
        write(`\r${renderProgressBar(done, total, left, unit)}${ERASE_TO_END_OF_LINE}`);
        drawn = true;
        return;
      }
      if (done <= 0 || done >= total) return;
      if (lastLineAt !== null && now - lastLineAt < intervalMs) return;
      lastLineAt = now;
      write(`${label}: ${describeProgress(done, total, left, unit)}\n`);
    },
    finish() {
      if (drawn) write("\n");
    },
  };
}
