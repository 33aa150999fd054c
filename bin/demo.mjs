#!/usr/bin/env node
// `npm run demo`: build if needed, start Rollcall (embedded database unless DATABASE_URL is set),
// replay the demo classes against it, and keep it running until Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.PORT ?? "3000";
const baseUrl = `http://127.0.0.1:${port}`;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

if (!fs.existsSync(".next/BUILD_ID") || process.argv.includes("--rebuild")) {
  console.log("▶ building Rollcall (once; `npm run demo -- --rebuild` to rebuild)");
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(`▶ starting Rollcall on ${baseUrl}`);
const server = spawn(
  process.execPath,
  [path.resolve("node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", port],
  { stdio: "inherit", env },
);
const stop = () => server.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => process.exit(code ?? 0));

for (let i = 0; ; i++) {
  if (server.exitCode !== null) process.exit(1);
  const ok = await fetch(`${baseUrl}/api/health`)
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) break;
  if (i > 600) {
    console.error("Rollcall did not start within two minutes.");
    stop();
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

console.log("▶ replaying demo classes");
const demo = spawn(process.execPath, [path.resolve("bin/rollcall.mjs"), "demo", "--url", baseUrl], {
  stdio: "inherit",
  env,
});
demo.on("exit", (code) => {
  if (code !== 0) console.error(`The demo failed (exit ${code}); Rollcall keeps running.`);
  console.log(`\nRollcall is running on ${baseUrl} — Ctrl-C to stop.`);
});
