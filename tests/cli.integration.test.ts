import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backends, connectBackend, livekitCredentials, type Backend, type BackendDb } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";
import { callApi, postWebhook, uniqueName } from "./support/fixtures.ts";
import { signWebhook } from "../lib/livekit/sign-webhook.ts";

// The command line finds the database as the app does: DATABASE_URL, or the embedded database that
// the running app serves from its data folder (both use it at the same time).
// The server's BETTER_AUTH_SECRET too (tests/setup/global-setup.ts; the embedded one keeps its own in
// the data folder): an academy's LiveKit secret is sealed under it, and the app must open it.
const cliEnv = (backend: Backend): Record<string, string> => {
  const { apiKey, apiSecret } = livekitCredentials();
  return backend.dataDir
    ? { DATABASE_URL: "", ROLLCALL_DATA_DIR: backend.dataDir, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }
    : { DATABASE_URL: backend.databaseUrl, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret, BETTER_AUTH_SECRET: "integration-tests-secret-0123456789abcdef" };
};

const roomStarted = (id: string, room: string) =>
  JSON.stringify({ event: "room_started", id, createdAt: String(Math.floor(Date.now() / 1000)), room: { sid: `RM_${id}`, name: room } });

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

  test("academy:livekit-key sets, rotates, shows and retires an academy's own LiveKit key, and the running app follows", async () => {
    const slug = uniqueName("lk");
    expect((await runCli(["academy:create", "--name", "Own Key Academy", "--slug", slug], cliEnv(backend))).code).toBe(0);
    const academy = await db.prisma.academy.findUniqueOrThrow({ where: { slug } });
    const before = await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend));
    expect(before.stdout).toContain("uses the server-wide LiveKit key");

    const first = { key: `API${uniqueName("one").replace(/-/g, "")}`, secret: "first-secret-0123456789-abcdefghijklmnopq" };
    const set = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", first.key], cliEnv(backend), { input: `${first.secret}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain(first.secret);
    // The secret is stored sealed, never in clear.
    const stored = await db.prisma.livekitCredential.findFirstOrThrow({ where: { apiKey: first.key } });
    expect(stored.academyId).toBe(academy.id);
    expect(stored.secretCiphertext).not.toContain(first.secret);

    // The app opens what the command line sealed: a webhook signed with the new key is stored as the academy's.
    const room = uniqueName("room");
    const signed = (id: string, key: string, secret: string) => signWebhook(roomStarted(id, room), key, secret);
    const idOne = uniqueName("EV");
    const accepted = await postWebhook(backend.baseUrl, roomStarted(idOne, room), { authorization: await signed(idOne, first.key, first.secret) });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const row = (await db.pool.query<{ livekit_scope: string; api_key: string }>("SELECT livekit_scope, api_key FROM webhook_event WHERE id = $1", [idOne])).rows;
    expect(row).toEqual([{ livekit_scope: academy.id, api_key: first.key }]);

    // A second `set` is refused: changing keys is a rotation, so no webhook is refused on the way.
    const again = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", `${first.key}x`], cliEnv(backend), { input: first.secret });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has its own key .*use rotate/);

    // Rotation with a generated pair: printed once, and both keys work until the old one is retired.
    const rotated = await runCli(["academy:livekit-key", "rotate", "--academy", slug, "--generate"], cliEnv(backend));
    expect(rotated.code, rotated.stderr).toBe(0);
    const second = { key: /key: {4}(\S+)/.exec(rotated.stdout)?.[1] ?? "", secret: /secret: (\S+)/.exec(rotated.stdout)?.[1] ?? "" };
    expect(second.key).toMatch(/^API\w+$/);
    expect(second.secret.length).toBeGreaterThanOrEqual(43);
    for (const [key, secret] of [[first.key, first.secret], [second.key, second.secret]] as const) {
      const id = uniqueName("EV");
      expect((await postWebhook(backend.baseUrl, roomStarted(id, room), { authorization: await signed(id, key, secret) })).status).toBe(200);
    }
    const shown = await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend));
    expect(shown.stdout).toMatch(new RegExp(`${first.key}\\s+live\\s`));
    expect(shown.stdout).toMatch(new RegExp(`${second.key}\\s+live\\s`));
    expect(shown.stdout).not.toContain(second.secret);
    expect(shown.stdout).not.toContain(first.secret);

    const retired = await runCli(["academy:livekit-key", "retire", "--academy", slug, "--key", first.key], cliEnv(backend));
    expect(retired.code, retired.stderr).toBe(0);
    const late = uniqueName("EV");
    const refused = await postWebhook(backend.baseUrl, roomStarted(late, room), { authorization: await signed(late, first.key, first.secret) });
    expect(refused.status).toBe(401);
    expect((await db.pool.query("SELECT 1 FROM webhook_event WHERE id = $1", [late])).rowCount).toBe(0);
    expect((await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend))).stdout).toMatch(new RegExp(`${first.key}\\s+retired\\s`));

    // The last live key cannot be retired: the academy would lose every webhook.
    const last = await runCli(["academy:livekit-key", "retire", "--academy", slug, "--key", second.key], cliEnv(backend));
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/only live key/);
    // Nine commands, each a process that opens the database: seconds apiece on two busy cores.
  }, 180_000);

  test("academy:livekit-key refuses a weak secret, the server-wide key and a missing action, changing nothing", async () => {
    const slug = uniqueName("lk");
    expect((await runCli(["academy:create", "--name", "Weak Key Academy", "--slug", slug], cliEnv(backend))).code).toBe(0);
    const weak = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", "APIweak"], cliEnv(backend), { input: "secret" });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/the secret must be at least 32 characters/);
    const server = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", livekitCredentials().apiKey], cliEnv(backend), {
      input: livekitCredentials().apiSecret,
    });
    expect(server.code).toBe(1);
    expect(server.stderr).toMatch(/server-wide LiveKit key/);
    const noAction = await runCli(["academy:livekit-key", "--academy", slug], cliEnv(backend));
    expect(noAction.code).toBe(2);
    expect(await db.prisma.livekitCredential.count({ where: { academy: { slug } } })).toBe(0);
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
