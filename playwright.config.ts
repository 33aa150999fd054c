import { defineConfig, devices } from "@playwright/test";
import { embeddedDatabaseUrl } from "./lib/db/embedded-credentials.ts";
import { CHROMIUM_LAUNCH_OPTIONS } from "./tools/chromium.ts";

// The browser tests run the built app (`next build` first; `npm test` does) on a fresh embedded
// database, in Debian's Chromium: Playwright's own browser download cannot run on these machines.
// Below Linux's ephemeral range (32768–60999): the integration tests' servers take free ports from
// that range, and one still closing when the browser tests start must never hold theirs.
const PORT = Number(process.env.E2E_PORT ?? 31_100);
const DB_PORT = Number(process.env.E2E_DB_PORT ?? 31_452);
export const E2E_LIVEKIT = { apiKey: "e2e-key", apiSecret: "e2e-secret-e2e-secret-e2e-secret-42" };
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? "test-results/e2e-data";
export const E2E_DB_PORT = DB_PORT;
/** The e2e server's embedded database, which the tests seed as the `rollcall` command line would (its password is in the data folder once the server runs). */
export const e2eDbUrl = () => embeddedDatabaseUrl(E2E_DATA_DIR, DB_PORT);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  // Reduced motion: the live dots stand still (e2e/accessibility.spec.ts checks both settings), so the
  // headless browser does not paint their frames all through a test: a third of its CPU here.
  use: { baseURL: `http://127.0.0.1:${PORT}`, trace: "retain-on-failure", reducedMotion: "reduce" },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: CHROMIUM_LAUNCH_OPTIONS,
      },
    },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      DATABASE_URL: "",
      ROLLCALL_DATA_DIR: E2E_DATA_DIR,
      ROLLCALL_EMBEDDED_DB_PORT: String(DB_PORT),
      LIVEKIT_API_KEY: E2E_LIVEKIT.apiKey,
      LIVEKIT_API_SECRET: E2E_LIVEKIT.apiSecret,
      NEXT_TELEMETRY_DISABLED: "1",
      // The tests press Recalculate themselves; the background sweep must not get there first.
      ROLLCALL_SWEEP_INTERVAL_SECONDS: "3600",
    },
  },
});
