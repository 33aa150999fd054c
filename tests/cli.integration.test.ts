import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backends, connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { cliEnv, runCli, type CliResult } from "./support/cli.ts";
import { callApi, inParallel, postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { commandPaths } from "../cli/definitions/index.ts";
import { renderCommandHelp } from "../cli/help.ts";
import { signWebhook } from "../lib/livekit/sign-webhook.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { verifyReports } from "../lib/calculation/verify-reports.ts";
import { participantJoined, participantLeft, toWebhookBody } from "../lib/simulation/webhook-payloads.ts";

const MIN = 60_000;

/**
 * What any command could change, in one value: the rows of every table the command line writes, and
 * the latest change in each. Two equal fingerprints around a command mean it wrote nothing.
 */
async function databaseFingerprint(db: BackendDb) {
  const { rows } = await db.pool.query(`SELECT
    (SELECT count(*) FROM academy)::int AS academies, (SELECT max(updated_at) FROM academy) AS academy_changed,
    (SELECT count(*) FROM api_key)::int AS api_keys, (SELECT count(revoked_at) FROM api_key)::int AS revoked_keys,
    (SELECT count(*) FROM livekit_credential)::int AS livekit_keys, (SELECT count(retired_at) FROM livekit_credential)::int AS retired_livekit_keys,
    (SELECT count(*) FROM auth_user)::int AS users, (SELECT count(*) FROM person)::int AS people,
    (SELECT count(*) FROM session)::int AS sessions, (SELECT count(*) FROM session WHERE is_calculated)::int AS calculated_sessions,
    (SELECT max(updated_at) FROM session) AS session_changed, (SELECT max(calculated_at) FROM session) AS session_calculated,
    (SELECT count(*) FROM attendance_report)::int AS reports, (SELECT max(calculated_at) FROM attendance_report) AS report_calculated,
    (SELECT count(*) FROM webhook_event)::int AS webhooks`);
  return rows[0] as Record<string, unknown>;
}

const firstLine = (result: CliResult) => result.stderr.split("\n")[0];

const roomStarted = (id: string, room: string) =>
  JSON.stringify({
    event: "room_started",
    id,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { sid: `RM_${id}`, name: room },
  });

describe.each(backends())("rollcall command line on $name", (backend) => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test("creates an academy and an API key that the running app accepts", async () => {
    const slug = uniqueName("cli");
    const academy = await runCli(
      ["academy:create", "--name", "CLI Academy", "--slug", slug, "--timezone", "Africa/Cairo"],
      cliEnv(backend),
    );
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
    expect((await runCli(["academy:create", "--name", "Own Key Academy", "--slug", slug], cliEnv(backend))).code).toBe(
      0,
    );
    const academy = await db.prisma.academy.findUniqueOrThrow({ where: { slug } });
    const before = await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend));
    expect(before.stdout).toContain("uses the server-wide LiveKit key");

    const first = {
      key: `API${uniqueName("one").replace(/-/g, "")}`,
      secret: "first-secret-0123456789-abcdefghijklmnopq",
    };
    const set = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", first.key], cliEnv(backend), {
      input: `${first.secret}\n`,
    });
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
    const accepted = await postWebhook(backend.baseUrl, roomStarted(idOne, room), {
      authorization: await signed(idOne, first.key, first.secret),
    });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const row = (
      await db.pool.query<{ livekit_scope: string; api_key: string }>(
        "SELECT livekit_scope, api_key FROM webhook_event WHERE id = $1",
        [idOne],
      )
    ).rows;
    expect(row).toEqual([{ livekit_scope: academy.id, api_key: first.key }]);

    // A second `set` is refused: changing keys is a rotation, so no webhook is refused on the way.
    const again = await runCli(
      ["academy:livekit-key", "set", "--academy", slug, "--key", `${first.key}x`],
      cliEnv(backend),
      { input: first.secret },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has its own key .*use rotate/);

    // Rotation with a generated pair: printed once, and both keys work until the old one is retired.
    const rotated = await runCli(["academy:livekit-key", "rotate", "--academy", slug, "--generate"], cliEnv(backend));
    expect(rotated.code, rotated.stderr).toBe(0);
    const second = {
      key: /key: {4}(\S+)/.exec(rotated.stdout)?.[1] ?? "",
      secret: /secret: (\S+)/.exec(rotated.stdout)?.[1] ?? "",
    };
    expect(second.key).toMatch(/^API\w+$/);
    expect(second.secret.length).toBeGreaterThanOrEqual(43);
    for (const [key, secret] of [
      [first.key, first.secret],
      [second.key, second.secret],
    ] as const) {
      const id = uniqueName("EV");
      expect(
        (await postWebhook(backend.baseUrl, roomStarted(id, room), { authorization: await signed(id, key, secret) }))
          .status,
      ).toBe(200);
    }
    const shown = await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend));
    expect(shown.stdout).toMatch(new RegExp(`${first.key}\\s+live\\s`));
    expect(shown.stdout).toMatch(new RegExp(`${second.key}\\s+live\\s`));
    expect(shown.stdout).not.toContain(second.secret);
    expect(shown.stdout).not.toContain(first.secret);

    const retired = await runCli(
      ["academy:livekit-key", "retire", "--academy", slug, "--key", first.key],
      cliEnv(backend),
    );
    expect(retired.code, retired.stderr).toBe(0);
    const late = uniqueName("EV");
    const refused = await postWebhook(backend.baseUrl, roomStarted(late, room), {
      authorization: await signed(late, first.key, first.secret),
    });
    expect(refused.status).toBe(401);
    expect((await db.pool.query("SELECT 1 FROM webhook_event WHERE id = $1", [late])).rowCount).toBe(0);
    expect((await runCli(["academy:livekit-key", "show", "--academy", slug], cliEnv(backend))).stdout).toMatch(
      new RegExp(`${first.key}\\s+retired\\s`),
    );

    // The last live key cannot be retired: the academy would lose every webhook.
    const last = await runCli(
      ["academy:livekit-key", "retire", "--academy", slug, "--key", second.key],
      cliEnv(backend),
    );
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/only live key/);
    // Nine commands, each a process that opens the database: seconds apiece on two busy cores.
  }, 180_000);

  test("academy:livekit-key refuses a weak secret, the server-wide key and a missing action, changing nothing", async () => {
    const slug = uniqueName("lk");
    expect((await runCli(["academy:create", "--name", "Weak Key Academy", "--slug", slug], cliEnv(backend))).code).toBe(
      0,
    );
    const weak = await runCli(["academy:livekit-key", "set", "--academy", slug, "--key", "APIweak"], cliEnv(backend), {
      input: "secret",
    });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/the secret must be at least 32 characters/);
    const server = await runCli(
      ["academy:livekit-key", "set", "--academy", slug, "--key", livekitCredentials().apiKey],
      cliEnv(backend),
      {
        input: livekitCredentials().apiSecret,
      },
    );
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
    const result = await runCli(
      ["demo", "--url", backend.baseUrl, "--live-seconds", "0", "--seed", "11"],
      cliEnv(backend),
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Webhooks: \d+ stored, \d+ duplicates absorbed, 1 logged as unmatched, 0 failed/);
    const key = /shown once\): (rk_\S+)/.exec(result.stdout)?.[1];
    expect(key).toBeDefined();
    const listed = await callApi<{ sessions: { id: string; title: string; status: string }[] }>(
      backend.baseUrl,
      key!,
      "GET",
      "/sessions?limit=200",
    );
    const statuses = listed.json.sessions.slice(-4).map((session) => session.status);
    // No sweep runs in the test servers, so the finished classes wait for their calculation.
    expect(statuses).toEqual(["ended", "ended", "live", "scheduled"]);
    // The command line lists the same sessions with the same words.
    const cliList = await runCli(["session:list", "--academy", "demo", "--limit", "200"], cliEnv(backend));
    expect(cliList.code, cliList.stderr).toBe(0);
    for (const session of listed.json.sessions)
      expect(cliList.stdout).toMatch(new RegExp(`\\s${session.status}\\s.*${session.id}`));
    const liveOnly = await runCli(["session:list", "--academy", "demo", "--status", "live"], cliEnv(backend));
    expect(liveOnly.stdout.split("\n").filter((line) => /\slive\s/.test(line)).length).toBe(
      listed.json.sessions.filter((session) => session.status === "live").length,
    );
    const live = listed.json.sessions.at(-2)!;
    const presence = await callApi<{ presence: { counts: { students: { inRoom: number } } } }>(
      backend.baseUrl,
      key!,
      "GET",
      `/sessions/${live.id}/presence`,
    );
    expect(presence.json.presence.counts.students.inRoom).toBeGreaterThan(3);
  });

  /**
   * A 60-minute class that started at `start`, created through the API, and its people's connections
   * delivered as LiveKit's webhooks: [identity, join, leave] with times in minutes from the start
   * (a null leave: the leave webhook was lost).
   */
  async function classWithConnections(
    key: string,
    start: number,
    people: { teacher: string; students: string[] },
    connections: [string, number, number | null][],
  ) {
    const room = uniqueName("cli-class");
    const person = (identity: string) => ({
      externalId: `${room}-${identity}`,
      name: identity,
      livekitIdentity: `${room}-${identity}`,
    });
    const created = await callApi<{ session: { id: string } }>(backend.baseUrl, key, "POST", "/sessions", {
      type: "academic",
      title: `Class ${room}`,
      roomName: room,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(start + 60 * MIN).toISOString(),
      teacher: person(people.teacher),
      students: people.students.map(person),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const roomRef = { sid: `RM_${room}`, name: room, creationTimeMs: start - 10 * MIN };
    for (const [identity, join, leave] of connections) {
      const participant = {
        sid: `PA_${room}_${identity}_${join}`,
        identity: `${room}-${identity}`,
        name: identity,
        joinedAtMs: start + Math.round(join * MIN),
      };
      const bodies = [participantJoined(uniqueName("EV"), roomRef, participant, participant.joinedAtMs)];
      if (leave !== null)
        bodies.push(
          participantLeft(uniqueName("EV"), roomRef, participant, start + Math.round(leave * MIN), "CLIENT_INITIATED"),
        );
      for (const body of bodies) expect((await postWebhook(backend.baseUrl, toWebhookBody(body))).status).toBe(200);
    }
    return { id: created.json.session.id, room };
  }

  const reportsOf = async (sessionIds: string[]) =>
    (
      await db.pool.query<{
        session_id: string;
        identity: string;
        role: string;
        status: string;
        attended_seconds: number;
      }>(
        "SELECT session_id, identity, role, status, attended_seconds FROM attendance_report WHERE session_id = ANY($1::text[]) ORDER BY session_id, identity",
        [sessionIds],
      )
    ).rows;
  const calculatedOf = async (sessionIds: string[]) =>
    Object.fromEntries(
      (
        await db.pool.query<{ id: string; is_calculated: boolean }>(
          "SELECT id, is_calculated FROM session WHERE id = ANY($1::text[])",
          [sessionIds],
        )
      ).rows.map((row) => [row.id, row.is_calculated]),
    );

  // Every command's help, in-process, is cli/main.test.ts's; here the real process, for a sample of
  // the forms and the commands that would write, on PostgreSQL, where the database they must leave
  // untouched is a real server's.
  if (backend.name === "postgres")
    test("--help, -h and help <command> print the usage, exit 0 and change nothing, even with --force and a due class", async () => {
      // A class that is due: anything that ran attendance:calculate would write its reports.
      const { academy, key } = await seedAcademy(db.prisma, "Help Academy");
      const start = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
      const due = await classWithConnections(key, start, { teacher: "t", students: ["s"] }, [
        ["s", 0, 60],
        ["t", 0, 60],
      ]);
      const before = await databaseFingerprint(db);
      const usage = (path: string[]) => {
        const { command } = commandPaths().find((candidate) => candidate.path.join(" ") === path.join(" "))!;
        return `${renderCommandHelp(`rollcall ${path.join(" ")}`, command)}\n`;
      };
      const runs = [
        {
          args: ["attendance:calculate", due.id, "--academy", academy.slug, "--force", "--help"],
          path: ["attendance:calculate"],
        },
        { args: ["attendance:calculate", "--academy", academy.slug, "-h"], path: ["attendance:calculate"] },
        { args: ["help", "attendance:reconcile"], path: ["attendance:reconcile"] },
        { args: ["attendance:reconcile", "--days", "1", "--help"], path: ["attendance:reconcile"] },
        {
          args: ["academy:livekit-key", "rotate", "--academy", academy.slug, "--generate", "-h"],
          path: ["academy:livekit-key", "rotate"],
        },
        { args: ["academy:create", "--name", "Help", "--slug", "help-academy", "--help"], path: ["academy:create"] },
      ];
      const results = await inParallel(runs, 3, async ({ args }) => runCli(args, cliEnv(backend)));
      runs.forEach(({ args, path }, i) => {
        const result = results[i]!;
        // The usage and nothing else: no table, no "Calculating", no reconciliation count.
        expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
          args,
          code: 0,
          stderr: "",
          stdout: usage(path),
        });
      });

      expect(await databaseFingerprint(db)).toEqual(before);
      expect(await calculatedOf([due.id])).toEqual({ [due.id]: false });
      expect(await reportsOf([due.id])).toEqual([]);
      await calculateSessions({ pool: db.pool, sessionIds: [due.id], trigger: "manual" });
    });

  test("a misspelt option, command or action gets the nearest name; a missing option is named alone; exit 2, nothing changed", async () => {
    const slug = uniqueName("typo");
    expect((await runCli(["academy:create", "--name", "Typo Academy", "--slug", slug], cliEnv(backend))).code).toBe(0);
    const before = await databaseFingerprint(db);
    // Every message, in-process, is cli/main.test.ts's; here the process's exit status and streams.
    const cases: [string[], string][] = [
      [
        ["attendance:calculate", "--academy", slug, "--forse"],
        "rollcall attendance:calculate: Unknown option --forse. Did you mean --force?",
      ],
      [
        ["atendance:calculate", "--academy", slug],
        "rollcall: Unknown command atendance:calculate. Did you mean attendance:calculate? 'rollcall help' lists the commands.",
      ],
      [
        ["academy:livekit-key", "rotat", "--academy", slug, "--generate"],
        "rollcall academy:livekit-key: Unknown action rotat. Did you mean rotate? The actions: set, rotate, retire and show.",
      ],
      [
        ["user:create", "--academy", slug, "--email", "khadija@example.test"],
        "rollcall user:create: --name is required",
      ],
    ];
    const results = await inParallel(cases, 3, async ([args]) => runCli(args, cliEnv(backend)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect({ args, code: result.code, message: firstLine(result), stdout: result.stdout }).toEqual({
        args,
        code: 2,
        message,
        stdout: "",
      });
    });
    expect(await databaseFingerprint(db)).toEqual(before);
  });

  test("attendance:calculate with several session ids and --academy calculates exactly those, with the rules' statuses", async () => {
    const { academy, key } = await seedAcademy(db.prisma, "Ids Academy");
    const other = await seedAcademy(db.prisma, "Other Ids Academy");
    // Four classes of an hour that ended two hours ago; minutes from their start.
    const start = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
    const a = await classWithConnections(key, start, { teacher: "ta", students: ["a1", "a2", "a3", "a4"] }, [
      ["ta", -5, 62],
      ["a1", -2, 60],
      ["a2", 20, 60],
      ["a3", 10, 30],
    ]);
    const b = await classWithConnections(key, start, { teacher: "tb", students: ["b1", "b2", "b3"] }, [
      ["tb", 5, null],
      ["b1", 0, 45],
      ["b2", 16, 60],
      ["b3", 30, 60],
    ]);
    const c = await classWithConnections(key, start, { teacher: "tc", students: ["c1", "c2"] }, [
      ["c1", 15, 55],
      ["c2", 2, 7 + 59 / 60],
    ]);
    const d = await classWithConnections(key, start, { teacher: "td", students: ["d1"] }, [["d1", 0, 60]]);
    const e = await classWithConnections(other.key, start, { teacher: "te", students: ["e1"] }, [["e1", 0, 60]]);
    const all = [a.id, b.id, c.id, d.id, e.id];

    // An id of another academy is refused with --academy, and nothing is calculated.
    const foreign = await runCli(["attendance:calculate", a.id, e.id, "--academy", academy.slug], cliEnv(backend));
    expect({ code: foreign.code, message: firstLine(foreign) }).toEqual({
      code: 2,
      message: `rollcall attendance:calculate: Not sessions of ${academy.slug}: ${e.id}.`,
    });
    // --days and --type choose sessions; with ids they are refused rather than ignored.
    const mixed = await runCli(["attendance:calculate", a.id, "--days", "3"], cliEnv(backend));
    expect({ code: mixed.code, message: firstLine(mixed) }).toEqual({
      code: 2,
      message:
        "rollcall attendance:calculate: --days chooses the sessions when no id is given; leave it out with session ids",
    });
    expect(await calculatedOf(all)).toEqual({
      [a.id]: false,
      [b.id]: false,
      [c.id]: false,
      [d.id]: false,
      [e.id]: false,
    });

    const result = await runCli(["attendance:calculate", a.id, b.id, c.id, "--academy", academy.slug], cliEnv(backend));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Calculating 3 session(s) of ${academy.slug}`);
    // sessions, skipped, students, present, late, partial, absent, teachers, guests, failed
    expect(result.stdout).toMatch(/^3\s+0\s+9\s+3\s+2\s+2\s+2\s+3\s+0\s+0\s+\d+\.\d\d$/m);
    expect(await calculatedOf(all)).toEqual({ [a.id]: true, [b.id]: true, [c.id]: true, [d.id]: false, [e.id]: false });

    // Worked by hand from ATTENDANCE_RULES.md §4-§6: a window of 3,600 s, grace 15 min; under 10 % absent,
    // up to 50 % partial, over 75 % present even if late, else late if arrived after the grace.
    const rows = await reportsOf(all);
    const byIdentity = Object.fromEntries(
      rows.map((row) => [
        row.identity.slice(row.identity.lastIndexOf("-") + 1),
        [row.role, row.status, row.attended_seconds],
      ]),
    );
    expect(byIdentity).toEqual({
      ta: ["teacher", "present", 3600], // 5 min early to 2 min late: the window alone counts, 100 %
      a1: ["student", "present", 3600], // there from the preparation time: arrives at the start
      a2: ["student", "late", 2400], // arrives at 20 min, after the grace; 66.7 % is not over 75 %
      a3: ["student", "partial", 1200], // 33.3 %
      a4: ["student", "absent", 0], // never joined
      tb: ["teacher", "present", 3300], // joined at 5 min, the leave lost: closed at the window end (§4), 91.7 %
      b1: ["student", "present", 2700], // 75.0 % exactly is not over 75 %, but on time
      b2: ["student", "late", 2640], // arrives at 16 min; 73.3 %
      b3: ["student", "partial", 1800], // 50.0 % exactly is partial
      tc: ["teacher", "absent", 0], // never joined
      c1: ["student", "present", 2400], // arrives at 15 min exactly: not after the grace; 66.7 %
      c2: ["student", "absent", 359], // 5 min 59 s = 9.97 %, under 10 %
    });
    expect(new Set(rows.map((row) => row.session_id))).toEqual(new Set([a.id, b.id, c.id]));

    // --academy alone: the academy's due sessions only (d), not the other academy's (e), and not the
    // calculated ones again.
    const calculatedAt = (await db.prisma.session.findUniqueOrThrow({ where: { id: a.id } })).calculatedAt;
    const due = await runCli(["attendance:calculate", "--academy", academy.slug], cliEnv(backend));
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toContain(`Calculating 1 session(s) of ${academy.slug}`);
    expect(await calculatedOf(all)).toEqual({ [a.id]: true, [b.id]: true, [c.id]: true, [d.id]: true, [e.id]: false });
    expect((await db.prisma.session.findUniqueOrThrow({ where: { id: a.id } })).calculatedAt).toEqual(calculatedAt);
    expect(
      (await reportsOf([d.id])).map((row) => [
        row.identity.slice(row.identity.lastIndexOf("-") + 1),
        row.status,
        row.attended_seconds,
      ]),
    ).toEqual([
      ["d1", "present", 3600],
      ["td", "absent", 0],
    ]);
    await calculateSessions({ pool: db.pool, sessionIds: [e.id], trigger: "manual" });
  });

  test("a run of several batches off a terminal prints progress lines: done/total and the time left", async () => {
    // 500 classes with no one in them (two batches of 250), straight into the database. The batches are
    // the same size, so the first to finish (two run at once on PostgreSQL) reports the same count.
    const { academy } = await seedAcademy(db.prisma, "Progress Academy");
    const end = Date.now() - 2 * 60 * MIN;
    await db.pool.query(
      `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end)
       SELECT $1 || '-' || n, $2, 'academic', 'Empty class', $1 || '-room-' || n, $3::timestamptz - interval '1 hour', $3::timestamptz
       FROM generate_series(1, 500) AS n`,
      [uniqueName("progress"), academy.id, new Date(end)],
    );
    const result = await runCli(["attendance:calculate", "--academy", academy.slug], cliEnv(backend));
    expect(result.code, result.stderr).toBe(0);
    // After the first batch, the first estimate; the second batch ends the run, and the summary follows.
    const lines = result.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Calculating: 250\/500 sessions \(50 %\), about \d+:\d\d left$/);
    expect(result.stdout).toMatch(/^500\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s/m);
    expect(
      (await db.pool.query("SELECT 1 FROM session WHERE academy_id = $1 AND NOT is_calculated", [academy.id])).rowCount,
    ).toBe(0);
  });

  test("attendance:verify: clean after a calculation; a webhook after it names the session and new webhooks (exit 1); clean again once recalculated", async () => {
    const { academy, key } = await seedAcademy(db.prisma, "Verify Academy");
    const start = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
    const { id, room } = await classWithConnections(key, start, { teacher: "tv", students: ["v1"] }, [
      ["tv", 0, 60],
      ["v1", 5, 40],
    ]);
    const calculated = await runCli(["attendance:calculate", id], cliEnv(backend));
    expect(calculated.code, calculated.stderr).toBe(0);

    const before = await databaseFingerprint(db);
    const clean = await runCli(["attendance:verify", id], cliEnv(backend));
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("Verifying 1 session(s)");
    expect(clean.stdout).toContain("1 verified, 0 skipped (cancelled or not ended), 0 differ from the log.");
    // Verifying writes nothing.
    expect(await databaseFingerprint(db)).toEqual(before);

    // v1 comes back on another device at 50 min, after the calculation: a signed webhook like any other.
    const participant = { sid: `PA_${room}_v1_50`, identity: `${room}-v1`, name: "v1", joinedAtMs: start + 50 * MIN };
    const late = participantJoined(
      uniqueName("EV"),
      { sid: `RM_${room}`, name: room, creationTimeMs: start - 10 * MIN },
      participant,
      participant.joinedAtMs,
    );
    expect((await postWebhook(backend.baseUrl, toWebhookBody(late))).status).toBe(200);
    for (const args of [
      ["attendance:verify", id],
      ["attendance:verify", "--academy", academy.slug],
    ]) {
      const stale = await runCli(args, cliEnv(backend));
      expect(stale.code, stale.stderr).toBe(1);
      expect(stale.stdout).toContain("1 verified, 0 skipped (cancelled or not ended), 1 differs from the log.");
      const line = stale.stdout.split("\n").find((each) => each.startsWith(id));
      expect(line).toMatch(/new webhooks \(1\); the figures differ for 1 \(/);
    }

    const recalculated = await runCli(["attendance:calculate", id], cliEnv(backend));
    expect(recalculated.code, recalculated.stderr).toBe(0);
    const again = await runCli(["attendance:verify", "--academy", academy.slug], cliEnv(backend));
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain("1 verified, 0 skipped (cancelled or not ended), 0 differ from the log.");

    // Every column the calculation writes is compared, through the calculation's own row builder
    // (reportRow): one changed by hand is named, whichever it is, then put back. verifyReports is
    // what the command runs (one command a column would take minutes); the command then sees the
    // report whole again.
    const { identity } = (
      await db.pool.query<{ identity: string }>(
        "SELECT identity FROM attendance_report WHERE session_id = $1 AND role = 'student'",
        [id],
      )
    ).rows[0]!;
    for (const [column, changed] of [
      ["status", "'absent'"],
      ["first_join_at", "first_join_at + interval '1 second'"],
      ["intervals", "'[]'::jsonb"],
      ["policy", `jsonb_set(policy, '{graceMinutes}', '1')`],
      ["person_id", "NULL"],
    ] as const) {
      const where = "WHERE session_id = $1 AND identity = $2";
      const { value } = (
        await db.pool.query<{ value: string | null }>(
          `SELECT ${column}::text AS value FROM attendance_report ${where}`,
          [id, identity],
        )
      ).rows[0]!;
      await db.pool.query(`UPDATE attendance_report SET ${column} = ${changed} ${where}`, [id, identity]);
      const edited = await verifyReports({ pool: db.pool, sessionIds: [id], now: new Date() });
      expect(edited.differences, column).toEqual([
        { sessionId: id, reasons: [`the figures differ for 1 (${identity}: ${column})`] },
      ]);
      await db.pool.query(`UPDATE attendance_report SET ${column} = $3 ${where}`, [id, identity, value]);
    }
    const restored = await runCli(["attendance:verify", id], cliEnv(backend));
    expect(restored.code, restored.stdout).toBe(0);
  }, 120_000);
});
