import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backends, connectBackend, livekitCredentials, type Backend, type BackendDb } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";
import { callApi, uniqueName } from "./support/fixtures.ts";

// The command line finds the database as the app does: DATABASE_URL, or the embedded database that
// the running app serves from its data folder (both use it at the same time).
const cliEnv = (backend: Backend): Record<string, string> => {
  const { apiKey, apiSecret } = livekitCredentials();
  return backend.dataDir
    ? { DATABASE_URL: "", ROLLCALL_DATA_DIR: backend.dataDir, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }
    : { DATABASE_URL: backend.databaseUrl, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret };
};

describe.each(backends())("rollcall command line on $name", (backend) => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test("creates an academy and an API key that the running app accepts", async () => {
    const slug = uniqueName("cli");
    const academy = await runCli(["academy:create", "--name", "CLI Academy", "--slug", slug, "--timezone", "Africa/Cairo"], cliEnv(backend));
    expect(academy.code, academy.stderr).toBe(0);
    const created = await runCli(["api-key:create", "--academy", slug, "--name", "lms"], cliEnv(backend));
    expect(created.code, created.stderr).toBe(0);
    const key = /(rk_[\w-]+)/.exec(created.stdout)?.[1];
    expect(key).toBeTruthy();
    const listed = await callApi<{ sessions: unknown[] }>(backend.baseUrl, key!, "GET", "/sessions");
    expect(listed.status).toBe(200);
    expect(listed.json.sessions).toEqual([]);
    const stored = await db.prisma.apiKey.findFirstOrThrow({ where: { academy: { slug } } });
    expect(stored.hash).not.toContain(key!.slice(3));
  });

  test("rejects bad input with a usage error and changes nothing", async () => {
    const result = await runCli(["academy:create", "--name", "X", "--slug", "Not A Slug"], cliEnv(backend));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/slug/);
    const unknown = await runCli(["api-key:create", "--academy", "no-such-academy"], cliEnv(backend));
    expect(unknown.code).toBe(2);
  });

  test("the demo creates classes through the API and replays them with signed webhooks", async () => {
    const result = await runCli(["demo", "--url", backend.baseUrl, "--live-seconds", "0", "--seed", "11"], cliEnv(backend));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Webhooks: \d+ stored, \d+ duplicates absorbed, 1 logged as unmatched, 0 failed/);
    const key = /shown once\): (rk_\S+)/.exec(result.stdout)?.[1];
    expect(key).toBeDefined();
    const listed = await callApi<{ sessions: { id: string; title: string; status: string }[] }>(backend.baseUrl, key!, "GET", "/sessions?limit=200");
    const statuses = listed.json.sessions.slice(-4).map((session) => session.status);
    // No sweep runs in the test servers, so the finished classes wait for their calculation.
    expect(statuses).toEqual(["ended", "ended", "live", "scheduled"]);
    // The command line lists the same sessions with the same words.
    const cliList = await runCli(["session:list", "--academy", "demo", "--limit", "200"], cliEnv(backend));
    expect(cliList.code, cliList.stderr).toBe(0);
    for (const session of listed.json.sessions) expect(cliList.stdout).toMatch(new RegExp(`\\s${session.status}\\s.*${session.id}`));
    const liveOnly = await runCli(["session:list", "--academy", "demo", "--status", "live"], cliEnv(backend));
    expect(liveOnly.stdout.split("\n").filter((line) => /\slive\s/.test(line)).length).toBe(listed.json.sessions.filter((session) => session.status === "live").length);
    const live = listed.json.sessions.at(-2)!;
    const presence = await callApi<{ presence: { counts: { students: { inRoom: number } } } }>(backend.baseUrl, key!, "GET", `/sessions/${live.id}/presence`);
    expect(presence.json.presence.counts.students.inRoom).toBeGreaterThan(3);
  });
});
