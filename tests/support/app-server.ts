import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface AppServer {
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
  /** Ends the process with SIGKILL, as a crash or a pulled plug would: no shutdown code runs. */
  kill(): Promise<void>;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The app exited with ${child.exitCode}:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `The app did not become healthy within ${timeoutMs} ms:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`,
  );
}

/** Starts the built app (`next start`) as a user would, with the given environment. */
export async function startAppServer({
  port,
  env,
  logDir,
}: {
  port: number;
  env: Record<string, string>;
  logDir: string;
}): Promise<AppServer> {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `app-${port}.log`);
  const log = fs.openSync(logFile, "w");
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...env },
    stdio: ["ignore", log, log],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 120_000, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    baseUrl,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
