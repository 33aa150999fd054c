import { spawn } from "node:child_process";
import path from "node:path";
import { livekitCredentials, type Backend } from "./backends.ts";

/**
 * The command line's environment for a backend: it finds the database as the app does, through
 * DATABASE_URL or the embedded database the running app serves from its data folder (both use it
 * at the same time). The server's BETTER_AUTH_SECRET too (tests/setup/global-setup.ts; the embedded
 * one keeps its own in the data folder): an academy's LiveKit secret is sealed under it, and the
 * app must open it.
 */
export function cliEnv(backend: Backend): Record<string, string> {
  const { apiKey, apiSecret } = livekitCredentials();
  return backend.dataDir
    ? { DATABASE_URL: "", ROLLCALL_DATA_DIR: backend.dataDir, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }
    : {
        DATABASE_URL: backend.databaseUrl,
        LIVEKIT_API_KEY: apiKey,
        LIVEKIT_API_SECRET: apiSecret,
        BETTER_AUTH_SECRET: "integration-tests-secret-0123456789abcdef",
      };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `rollcall` command line as an operator would, in a child process. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  { timeoutMs = 120_000, input }: { timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve("bin/rollcall.mjs"), ...args], {
      env: { ...process.env, ...env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`rollcall ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running `rollcall` command (such as db:serve) and waits for a line of its output. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  readyPattern: RegExp,
): Promise<{ stop(signal?: NodeJS.Signals): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve("bin/rollcall.mjs"), ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`rollcall ${args.join(" ")} did not become ready:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyPattern.test(output)) {
        clearTimeout(timer);
        resolve({
          stop: (signal = "SIGTERM") =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`rollcall ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}
