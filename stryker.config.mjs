// @ts-check
/**
 * Mutation testing of the pure attendance core and the webhook parser: `npm run test:mutation`.
 * Only the fast unit tests run (vitest.mutation.config.ts); the report lands in reports/mutation/.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
const config = {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["lib/attendance/**/*.ts", "!lib/attendance/**/*.test.ts", "lib/livekit/parse-webhook.ts"],
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
