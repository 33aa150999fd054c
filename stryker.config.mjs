// @ts-check
/**
 * Mutation testing of the pure attendance core and the webhook parser: `npm run test:mutation`.
 * Only the fast unit tests run (vitest.mutation.config.ts); the report lands in reports/mutation/.
 *
 * A test file that throws while it is collected (a describe-level call into the core) counts as no
 * failing test, so its mutants "survive": call the core inside tests.
 *
 * Survivors reviewed and left alive (tests for the others: lib/attendance/mutation-killers.test.ts,
 * fingerprint.test.ts, provenance.test.ts, lib/livekit/parse-webhook.mutation.test.ts):
 * - equivalent: comparator mutants that only change the result for equal keys (identities, sids and,
 *   once deduplicated, webhook ids are unique: isEarlier's, foldClose's and roomFinishIds' `id <`, the
 *   fingerprint's byCodeUnits) or keep its sign when negative (V8's sort only asks "< 0"); codePointLess's
 *   `<=` (the two code points are already known to differ); mergeIntervals' tie-break on the end
 *   (intervals of one start merge to the longest whatever their order); foldConnections' openedBy of a
 *   connection that never opened (closeConnections drops it before anything reads it); openConnectionRule's
 *   `finish <= windowEnd` (a finish at the window end closes there, as room_finished, either way); redundant guards
 *   (resolveWindow's `finishes.length && teacherIdentity !== null`, `finish !== null && finish === windowEnd`,
 *   connectionOrigins' `connection.end !== null`: a report's connections are all closed, and its room_finished
 *   test as a whole: a connection closed at the window end never ends at a room_finished's time, since one
 *   there would have closed it as room_finished);
 *   `<`/`<=` where equal values give the same result; explain's formatter cache and the `arrived` text
 *   when there is no arrival (never shown); `decimals <= 12` (the fallback is the 12-decimal truncation);
 *   null compared as 0 with times after 1970 (arrival, teacher start) and "Stryker was here" > number;
 *   policy.ts's four-decimal check with `>=` for `>` (a float difference of exactly 1e-7 never occurs).
 * - left open by the docs: which of two differing copies of one webhook id is kept (dedupeEvents'
 *   canonical key and its `<`), the closedBy of a leave and an abort at the same instant, and the order of
 *   connections that start at the same instant.
 * - explainedPercentage's fallback after 12 decimals is unreachable since thresholds have at most four
 *   decimals (policy.ts); it is kept as a guard, not tested.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
const config = {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: [
    "lib/attendance/**/*.ts",
    "!lib/attendance/**/*.test.ts",
    "!lib/attendance/**/*.fixture.ts",
    "lib/livekit/parse-webhook.ts",
  ],
  coverageAnalysis: "perTest",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  tempDirName: ".stryker-tmp",
  // Not needed by the unit tests; keeps the sandbox copy small (.next alone is >100 MB).
  ignorePatterns: [".next", "e2e", "playwright-report", "test-results", ".rollcall", "reports", "*.tsbuildinfo"],
};

export default config;
