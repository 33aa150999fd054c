import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { findFreePort } from "../lib/db/free-port.ts";
import { startAppServer } from "./support/app-server.ts";

// A deployment (DATABASE_URL set) must never run with the public development LiveKit pair, with
// which anyone could sign webhooks and forge attendance, nor without a cookie secret. The check runs
// before the server touches the database, so the URL here need not answer.
describe("starting on DATABASE_URL", () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-startup-"));
  afterAll(() => fs.rmSync(logDir, { recursive: true, force: true }));
  const base = {
    DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere",
    BETTER_AUTH_SECRET: "startup-test-secret-0123456789abcdefghij",
  };

  test.each([
    ["no LiveKit credentials (the devkey / secret defaults)", {}],
    ["the development key", { LIVEKIT_API_KEY: "devkey", LIVEKIT_API_SECRET: "a-real-looking-secret-0123456789" }],
    ["the development secret", { LIVEKIT_API_KEY: "APIxyz", LIVEKIT_API_SECRET: "secret" }],
  ])("refuses to start with %s, saying what to set", async (_name, livekit) => {
    const failure = await startAppServer({
      port: await findFreePort(),
      logDir,
      env: { ...base, LIVEKIT_API_KEY: "", LIVEKIT_API_SECRET: "", ...livekit },
    }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited with 1/);
    expect(failure).toMatch(
      /Rollcall will not start on DATABASE_URL: LIVEKIT_API_KEY and LIVEKIT_API_SECRET are the public development pair/,
    );
  });

  test("refuses to start without BETTER_AUTH_SECRET", async () => {
    const failure = await startAppServer({
      port: await findFreePort(),
      logDir,
      env: {
        ...base,
        BETTER_AUTH_SECRET: "",
        LIVEKIT_API_KEY: "APIxyz",
        LIVEKIT_API_SECRET: "a-real-looking-secret-0123456789",
      },
    }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/BETTER_AUTH_SECRET is not set/);
  });
});
