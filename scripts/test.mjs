#!/usr/bin/env node
// `npm test`: builds the app as it is deployed, then runs every test against it: the pure and unit
// tests, the integration tests on both databases (embedded PGlite and the PostgreSQL server), and the
// browser tests in Chromium.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

/** Runs a step; its exit status. Each step's time is printed: CI has 25 minutes for all of them. */
function run(label, command, args, extraEnv = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.error) throw result.error;
  console.log(`\n▶ ${label}: ${Math.round((Date.now() - started) / 1000)} s, exit ${result.status}`);
  return result.status ?? 1;
}

if (run("build (prisma generate + next build)", "npm", ["run", "--silent", "build"]) !== 0) process.exit(1);

fs.mkdirSync("test-results", { recursive: true });
const vitestStatus = run("vitest: unit and integration tests", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile.json=test-results/vitest.json",
]);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(fs.readFileSync("test-results/vitest.json", "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numTotalTests === 0 ? 1 : 0);
} catch {
  failed += 1;
}
if (vitestStatus !== 0 && failed === 0) failed = 1;

const playwrightStatus = run(
  "playwright: browser tests in Chromium",
  "npx",
  ["playwright", "test", "--reporter=list,json"],
  {
    PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/playwright.json",
  },
);
try {
  const report = JSON.parse(fs.readFileSync("test-results/playwright.json", "utf8"));
  passed += report.stats.expected;
  failed += report.stats.unexpected + report.stats.flaky + (report.stats.expected === 0 ? 1 : 0);
} catch {
  failed += 1;
}
if (playwrightStatus !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && vitestStatus === 0 && playwrightStatus === 0 ? 0 : 1);
