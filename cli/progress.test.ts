import { describe, expect, test } from "vitest";
import { createProgress, describeProgress, estimateTimeLeft, formatTimeLeft, renderProgressBar } from "./progress.ts";

test.each([
  // elapsed ms, done, total → ms left at the same pace
  [1000, 0, 10, null], // no pace yet
  [1000, 1, 10, 9000],
  [2000, 250, 1000, 6000], // 8 ms a session, 750 to go
  [3000, 300, 300, 0],
  [3000, 310, 300, 0], // never negative
])("estimateTimeLeft(%i ms, %i of %i) = %j", (elapsed, done, total, expected) => {
  expect(estimateTimeLeft(elapsed, done, total)).toBe(expected);
});

test.each([
  [0, "0:00"],
  [1, "0:01"], // rounded up: a run with time left never says 0:00
  [999, "0:01"],
  [1000, "0:01"],
  [1001, "0:02"],
  [59_000, "0:59"],
  [60_000, "1:00"],
  [754_000, "12:34"],
  [3_599_000, "59:59"],
  [3_600_000, "1:00:00"],
  [3_723_000, "1:02:03"],
  [-5, "0:00"],
])("formatTimeLeft(%i ms) = %s", (ms, expected) => {
  expect(formatTimeLeft(ms)).toBe(expected);
});

test.each([
  [0, 300, null, "0/300 sessions (0 %), estimating the time left"],
  [250, 300, 400, "250/300 sessions (83 %), about 0:01 left"], // 83.3 % rounds down
  [299, 300, 10, "299/300 sessions (99 %), about 0:01 left"], // 99.7 %: never 100 % before the end
  [300, 300, 0, "300/300 sessions (100 %), done"],
  [0, 0, null, "0/0 sessions (100 %), done"],
])("describeProgress(%i, %i, %j)", (done, total, left, expected) => {
  expect(describeProgress(done, total, left, "sessions")).toBe(expected);
});

test.each([
  [0, 100, null, 10, "[----------] 0/100 rows (0 %), estimating the time left"],
  [25, 100, 3000, 10, "[##--------] 25/100 rows (25 %), about 0:03 left"], // 2.5 cells round down
  [99, 100, 100, 10, "[#########-] 99/100 rows (99 %), about 0:01 left"],
  [100, 100, 0, 10, "[##########] 100/100 rows (100 %), done"],
])("renderProgressBar(%i, %i, %j, width %i)", (done, total, left, width, expected) => {
  expect(renderProgressBar(done, total, left, "rows", width)).toBe(expected);
});

/** Runs updates at given clock times and returns what was written. */
function run(isTerminal: boolean, updates: [atMs: number, done: number, total: number][], intervalMs = 5000) {
  let now = 0;
  const written: string[] = [];
  const progress = createProgress({
    write: (text) => written.push(text),
    isTerminal,
    clock: () => now,
    intervalMs,
    unit: "sessions",
    label: "Calculating",
  });
  for (const [at, done, total] of updates) {
    now = at;
    progress.update(done, total);
  }
  progress.finish();
  return written;
}

describe("createProgress", () => {
  test("not on a terminal: the first batch's line (the first estimate), then one per interval at most, none at the end", () => {
    expect(
      run(false, [
        [0, 0, 1000], // nothing done: no line
        [1000, 100, 1000], // first estimate: 10 ms a session, 900 to go = 9 s
        [3000, 300, 1000], // 2 s after the last line: quiet
        [6000, 600, 1000], // 5 s after it: a line; 10 ms a session, 400 to go = 4 s
        [8000, 800, 1000], // quiet
        [10_000, 1000, 1000], // done: the summary follows instead
      ]),
    ).toEqual([
      "Calculating: 100/1000 sessions (10 %), about 0:09 left\n",
      "Calculating: 600/1000 sessions (60 %), about 0:04 left\n",
    ]);
  });

  test("not on a terminal: a run done in one step prints nothing", () => {
    expect(run(false, [[500, 40, 40]])).toEqual([]);
  });

  test("on a terminal: the bar is redrawn in place at every update (erasing a longer one's tail), and its line ended once", () => {
    expect(
      run(true, [
        [0, 0, 500],
        [2000, 250, 500], // 8 ms a session, 250 to go = 2 s
        [4000, 500, 500],
      ]),
    ).toEqual([
      "\r[------------------------------] 0/500 sessions (0 %), estimating the time left\x1b[K",
      "\r[###############---------------] 250/500 sessions (50 %), about 0:02 left\x1b[K",
      "\r[##############################] 500/500 sessions (100 %), done\x1b[K",
      "\n",
    ]);
  });

  test("on a terminal with nothing drawn, finishing writes nothing", () => {
    expect(run(true, [])).toEqual([]);
  });
});
