#!/usr/bin/env node
// `npm test`: builds the app as it is deployed, then runs every test against it: the pure and unit
// tests, the integration tests on both databases (embedded PGlite and the PostgreSQL server), and the
// browser tests in Chromium.
//
// The two suites run side by side: neither keeps two cores busy (measured: vitest 1.3 cores over
// 13 min, the browser tests under 1 over 10 min), and they share nothing: the integration tests'
// servers take free ports in Linux's ephemeral range and databases of their own; the browser tests'
// server has a fixed port below that range and an embedded database in test-results/e2e-data. Each
// line of output is tagged with its suite. ROLLCALL_TEST_SERIAL=1 runs one after the other.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

console.log("\n▶ build (prisma generate + next build)");
const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit", env });
if (build.error) throw build.error;
if (build.status !== 0) process.exit(1);

fs.mkdirSync("test-results", { recursive: true });

/** Runs a suite, each line of its output tagged; resolves to its exit status. */
function suite(tag, command, args, extraEnv = {}) {
  console.log(`\n▶ ${tag}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...env, ...extraEnv } });
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ])
    readline
      .createInterface({ input: stream, crlfDelay: Infinity })
      .on("line", (line) => out.write(`[${tag}] ${line}\n`));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      console.log(`\n▶ ${tag} finished in ${Math.round((Date.now() - started) / 1000)} s, exit ${code}`);
      resolve(code ?? 1);
    });
  });
}

const vitest = () =>
  suite("vitest", "npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=test-results/vitest.json",
  ]);
const playwright = () =>
  suite("browser", "npx", ["playwright", "test", "--reporter=list,json"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/playwright.json",
  });

let vitestStatus;
let playwrightStatus;
if (process.env.ROLLCALL_TEST_SERIAL) {
  vitestStatus = await vitest();
  playwrightStatus = await playwright();
} else {
  [vitestStatus, playwrightStatus] = await Promise.all([vitest(), playwright()]);
}

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
