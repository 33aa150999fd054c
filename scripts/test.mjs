#!/usr/bin/env node
// `npm test`: builds the app as it is deployed, then runs every test against it: the pure and unit
// tests, the integration tests on both databases (embedded PGlite and the PostgreSQL server), and the
// browser tests in Chromium.
//
// The two suites run one after the other. ROLLCALL_TEST_PARALLEL=1 runs them side by side (they
// share nothing: the integration tests' servers take free ports in Linux's ephemeral range and
// databases of their own, the browser tests' server a fixed port below that range and an embedded
// database in test-results/e2e-data), but on two cores both are CPU-bound: four clean-clone runs
// took 1,347–1,413 s against about the same in turn, and one of them lost a timing race (a new
// connection's 5 s timeout against the embedded database's 5 s idle-transaction cut-off). Each
// line of output is tagged with its suite.
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
if (!process.env.ROLLCALL_TEST_PARALLEL) {
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
