// The attendance policy, a session's calculation history and its provenance through the real
// `rollcall` command line (issue 15), on both databases. The class is the one of
// tests/policy-versions.integration.test.ts, worked out by hand from ATTENDANCE_RULES.md section 6:
// a 60-minute quran class; Ali joins 12 min after the start and leaves at 50 min: 38 min = 2,280 s
// of 3,600 s = 63.3 %, above the partial threshold (50 %) and not above the present one (75 %, or
// 80 % for quran once set below), so lateness decides: present under the default 15-minute grace,
// late (12 min late) under a 10-minute one. Sara joins at 3 min and stays (95 %): present under
// both. The teacher is there throughout (100 %). The academy's zone is Asia/Karachi, UTC+5 all year
// (no daylight saving), so every time below is the UTC one plus five hours, written out by hand.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NBSP } from "../lib/words.ts";
import { participantJoined, participantLeft, toWebhookBody, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { cliEnv, runCli, type CliResult } from "./support/cli.ts";
import { callApi, inParallel, postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN;
const start = now - 3 * 24 * 60 * MIN;

/** Karachi's wall clock: UTC + 5 h. */
const karachi = (ms: number) => new Date(ms + 5 * 60 * MIN).toISOString();
const karachiMinute = (ms: number) => `${karachi(ms).slice(0, 16)}+05:00`;
const karachiSecond = (ms: number) => `${karachi(ms).slice(0, 19)}+05:00`;
const karachiClock = (ms: number) => karachi(ms).slice(11, 16);

const lines = (result: CliResult) => result.stdout.trimEnd().split("\n");
/** A table's lines as cells (columns are two spaces or more apart), its dashes left out. */
const cells = (result: CliResult) =>
  lines(result)
    .filter((line) => !/^-+( +-+)*$/.test(line))
    .map((line) => line.split(/ {2,}/));

describe.each(backends())("rollcall policy and history commands on $name", (backend) => {
  let db: BackendDb;
  let key = "";
  let slug = "";
  let academyId = "";
  let sessionId = "";
  const title = `Quran at ${new Date(start).toISOString()}`;
  const teacher = { externalId: uniqueName("cp-t"), name: "Ustadh Idris", livekitIdentity: uniqueName("lk-cp-t") };
  const ali = { externalId: uniqueName("cp-ali"), name: "Ali", livekitIdentity: uniqueName("lk-cp-ali") };
  const sara = { externalId: uniqueName("cp-sara"), name: "Sara", livekitIdentity: uniqueName("lk-cp-sara") };
  /** The webhook ids of each person's join and leave. */
  const webhooks = new Map<string, { joined: string; left: string }>();

  const cli = (...args: string[]) => runCli(args, cliEnv(backend));
  const diffLines = () => [
    "1 student in 1 class: present → late.",
    `${karachiMinute(start)}  ${title}  (${sessionId})`,
    "  Ali present, 63.3 % → late (12 min late), 63.3 %",
  ];
  /** Everything the policy commands could write, in one value. */
  const written = async () => ({
    academy: await db.prisma.academy.findUniqueOrThrow({
      where: { id: academyId },
      select: { policyVersion: true, graceMinutes: true, absentBelow: true },
    }),
    versions: await db.prisma.policyVersion.count({ where: { academyId } }),
    applications: await db.prisma.policyApplication.count({ where: { academyId } }),
    calculations: await db.prisma.calculation.count({ where: { sessionId } }),
    session: await db.prisma.session.findUniqueOrThrow({
      where: { id: sessionId },
      select: { policyVersion: true, calculatedAt: true },
    }),
  });

  beforeAll(async () => {
    db = connectBackend(backend);
    const seeded = await seedAcademy(db.prisma, "CLI Policy Academy");
    ({ key } = seeded);
    ({ slug, id: academyId } = seeded.academy);
    await db.prisma.academy.update({ where: { id: academyId }, data: { timezone: "Asia/Karachi" } });
    const roomName = uniqueName("room-cp");
    const created = await callApi<{ session: { id: string } }>(backend.baseUrl, key, "POST", "/sessions", {
      type: "quran",
      title,
      roomName,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(start + 60 * MIN).toISOString(),
      teacher,
      students: [ali, sara],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    sessionId = created.json.session.id;
    const room: RoomRef = { sid: uniqueName("RM"), name: roomName, creationTimeMs: start - 5 * MIN };
    for (const [who, from, to] of [
      [teacher, 0, 60],
      [ali, 12, 50],
      [sara, 3, 60],
    ] as const) {
      const ref = { sid: `PA_${who.livekitIdentity}`, identity: who.livekitIdentity, name: who.name };
      const ids = { joined: uniqueName("EV_in"), left: uniqueName("EV_out") };
      webhooks.set(who.livekitIdentity, ids);
      const at = (minute: number) => start + minute * MIN;
      for (const payload of [
        participantJoined(ids.joined, room, { ...ref, joinedAtMs: at(from) }, at(from)),
        participantLeft(ids.left, room, { ...ref, joinedAtMs: at(from) }, at(to), "CLIENT_INITIATED"),
      ])
        expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
    }
    const calculated = await cli("attendance:calculate", sessionId);
    expect(calculated.code, calculated.stderr).toBe(0);
  }, 180_000);
  afterAll(() => db.close());

  test("policy:show prints version 1 with the defaults every type takes", async () => {
    const shown = await cli("policy:show", "--academy", slug);
    expect(shown.code, shown.stderr).toBe(0);
    expect(cells(shown)).toEqual([
      [`Attendance policy of ${slug}: version 1.`],
      ["applies to", "Grace period", "Absent below", "Partial at or below", "Present above"],
      ["defaults", "15 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["quran", "15 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["academic", "15 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["interactive", "15 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
    ]);
  });

  test("policy:preview of a 10-minute grace names Ali's change and writes nothing", async () => {
    const before = await written();
    const preview = await cli("policy:preview", "--academy", slug, "--weeks", "1", "--grace", "10");
    expect(preview.code, preview.stderr).toBe(0);
    expect(lines(preview)).toEqual([
      `Version 1 with Grace period 10 min, over 1 calculated class of ${slug} scheduled to end in the last week (nothing is written):`,
      ...diffLines(),
    ]);
    // The same grace for quran alone: the class is a quran one, so the same change.
    const typed = await cli("policy:preview", "--academy", slug, "--weeks", "2", "--type", "quran", "--grace", "10");
    expect(lines(typed)).toEqual([
      `Version 1 with quran: Grace period 10 min, over 1 calculated class of ${slug} scheduled to end in the last 2 weeks (nothing is written):`,
      ...diffLines(),
    ]);
    // Not for academic classes: none of this academy's.
    const other = await cli("policy:preview", "--academy", slug, "--weeks", "1", "--type", "academic", "--grace", "10");
    expect(lines(other).slice(1)).toEqual(["No report changes."]);
    expect(await written()).toEqual(before);
  });

  test("bad input is refused, saying why, and changes nothing", async () => {
    const before = await written();
    const cases = [
      [
        ["policy:preview", "--academy", slug, "--weeks", "0"],
        'rollcall policy:preview: --weeks must be a whole number from 1 to 52, not "0"',
      ],
      [
        ["policy:apply", "--academy", slug, "--weeks", "0"],
        'rollcall policy:apply: --weeks must be a whole number from 1 to 52, not "0"',
      ],
      [
        ["policy:apply", "--academy", "no-such-academy", "--weeks", "1"],
        `rollcall policy:apply: No academy with slug "no-such-academy". 'rollcall academy:list' lists them; 'rollcall academy:create' makes one.`,
      ],
      [
        ["policy:show", "--academy", "no-such-academy"],
        `rollcall policy:show: No academy with slug "no-such-academy". 'rollcall academy:list' lists them; 'rollcall academy:create' makes one.`,
      ],
      [
        ["policy:set", "--academy", slug, "--absent-below", "0.9"],
        "rollcall policy:set: The policy is not valid. defaults: The thresholds must rise: absentBelow (0.9) <= partialAtOrBelow (0.5) <= presentAbove (0.75).",
      ],
      [
        ["policy:set", "--academy", slug, "--present-above", "75%"],
        'rollcall policy:set: --present-above must be a ratio from 0 to 1, e.g. 0.5, not "75%"',
      ],
      [
        ["policy:set", "--academy", slug],
        "rollcall policy:set: say what to change: --grace, --absent-below, --partial-at-or-below or --present-above",
      ],
      [
        ["policy:set", "--academy", slug, "--type", "quran"],
        "rollcall policy:set: --type says whose values to set; give one too: --grace, --absent-below, --partial-at-or-below or --present-above",
      ],
      [
        ["attendance:history", "no-such-session"],
        `rollcall attendance:history: No session "no-such-session". 'rollcall session:list --academy <slug>' lists an academy's sessions.`,
      ],
      [
        ["attendance:provenance", "no-such-session"],
        `rollcall attendance:provenance: No session "no-such-session". 'rollcall session:list --academy <slug>' lists an academy's sessions.`,
      ],
      [
        ["attendance:provenance", sessionId, "--identity", "nobody"],
        `rollcall attendance:provenance: No report row for "nobody" in ${sessionId}; its identities: ${teacher.livekitIdentity}, ${ali.livekitIdentity} and ${sara.livekitIdentity}.`,
      ],
    ] as const;
    // Three processes in flight: each opens the database, and none of them writes.
    const results = await inParallel(cases, 3, ([args]) => cli(...args));
    results.forEach((refused, i) => {
      const [args, message] = cases[i]!;
      expect([refused.code, refused.stderr.split("\n")[0]], args.join(" ")).toEqual([2, message]);
      expect(refused.stdout, args.join(" ")).toBe("");
    });
    expect(await written()).toEqual(before);
  });

  test("policy:set saves versions 2 and 3, by the command line; the same values again save none", async () => {
    const saved = await cli("policy:set", "--academy", slug, "--grace", "10");
    expect(saved.code, saved.stderr).toBe(0);
    expect(cells(saved)).toEqual([
      [
        "Saved version 2 (Grace period 10 min). Classes calculated before keep their version until 'rollcall policy:apply'.",
      ],
      [`Attendance policy of ${slug}: version 2.`],
      ["applies to", "Grace period", "Absent below", "Partial at or below", "Present above"],
      ["defaults", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["quran", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["academic", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["interactive", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
    ]);
    const again = await cli("policy:set", "--academy", slug, "--grace", "10");
    expect(lines(again)[0]).toBe("Nothing changed: Grace period 10 min is the policy already; version 2 stays.");

    // 80 % for quran: Ali's 63.3 % is still not above it, Sara's 95 % is; the diff stays Ali's.
    const typed = await cli("policy:set", "--academy", slug, "--type", "quran", "--present-above", "0.8");
    expect(typed.code, typed.stderr).toBe(0);
    expect(cells(typed).slice(0, 2)).toEqual([
      [
        `Saved version 3 (quran: Present above 80${NBSP}%). Classes calculated before keep their version until 'rollcall policy:apply'.`,
      ],
      [`Attendance policy of ${slug}: version 3.`],
    ]);
    expect(cells(typed).slice(3)).toEqual([
      ["defaults", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["quran", "10 min", `10${NBSP}%`, `50${NBSP}%`, `80${NBSP}%*`],
      ["academic", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["interactive", "10 min", `10${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`],
      ["* the type's own value; the others are the academy's defaults."],
    ]);

    const stored = await db.prisma.policyVersion.findMany({ where: { academyId }, orderBy: { version: "desc" } });
    expect(stored.map((row) => [row.version, row.actor])).toEqual([
      [3, "cli"],
      [2, "cli"],
      [1, null],
    ]);
    const versions = await cli("policy:versions", "--academy", slug);
    expect(versions.code, versions.stderr).toBe(0);
    const defaults = (grace: number) =>
      `Grace period ${grace} min, Absent below 10${NBSP}%, Partial at or below 50${NBSP}%, Present above 75${NBSP}%`;
    expect(cells(versions)).toEqual([
      [`3 version(s) of ${slug}'s policy, the newest (current) first:`],
      ["version", "saved", "by", "defaults", "type overrides"],
      [
        "3",
        karachiSecond(stored[0]!.createdAt.getTime()),
        "the command line",
        defaults(10),
        `quran: Present above 80${NBSP}%`,
      ],
      ["2", karachiSecond(stored[1]!.createdAt.getTime()), "the command line", defaults(10), "none"],
      ["1", karachiSecond(stored[2]!.createdAt.getTime()), "(with the academy)", defaults(15), "none"],
    ]);
  });

  test("policy:preview with no value previews version 3 as saved; policy:apply records and prints that diff", async () => {
    const preview = await cli("policy:preview", "--academy", slug, "--weeks", "1");
    expect(lines(preview)).toEqual([
      `Version 3 as saved, over 1 calculated class of ${slug} scheduled to end in the last week (nothing is written):`,
      ...diffLines(),
    ]);
    const applied = await cli("policy:apply", "--academy", slug, "--weeks", "1");
    expect(applied.code, applied.stderr).toBe(0);
    const application = await db.prisma.policyApplication.findFirstOrThrow({ where: { academyId } });
    expect([application.policyVersion, application.actor]).toEqual([3, "cli"]);
    expect(lines(applied)).toEqual([
      `Applied version 3 to 1 calculated class of ${slug} scheduled to end in the last week (application ${application.id}):`,
      ...diffLines(),
    ]);
    const session = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.policyVersion).toBe(3);
    const aliRow = await db.prisma.attendanceReport.findFirstOrThrow({
      where: { sessionId, identity: ali.livekitIdentity },
    });
    expect([aliRow.status, aliRow.lateMinutes]).toEqual(["late", 12]);

    const listed = await cli("policy:applications", "--academy", slug);
    expect(listed.code, listed.stderr).toBe(0);
    expect(cells(listed)).toEqual([
      [`1 application(s) of a policy version to ${slug}'s past classes, newest first:`],
      ["applied", "version", "by", "classes ending from", "to", "classes", "changed", "rows changed", "id"],
      [
        karachiSecond(application.at.getTime()),
        "3",
        "the command line",
        karachiSecond(application.rangeFrom.getTime()),
        karachiSecond(application.rangeTo.getTime()),
        "1",
        "1",
        "1",
        application.id,
      ],
    ]);
    // The range is the last week up to the application.
    expect(application.rangeTo.getTime() - application.rangeFrom.getTime()).toBe(7 * 24 * 60 * MIN);
  });

  test("attendance:history lists both calculations, what each changed, and the override history", async () => {
    const excused = await callApi(
      backend.baseUrl,
      key,
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(sara.livekitIdentity)}/override`,
      { status: "excused", note: "sick note" },
    );
    expect(excused.status, JSON.stringify(excused.json)).toBe(200);
    const calculations = await db.prisma.calculation.findMany({
      where: { sessionId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    expect(calculations.map((row) => [row.trigger, row.policyVersion])).toEqual([
      ["cli", 1],
      ["policy", 3],
    ]);
    const history = await cli("attendance:history", sessionId);
    expect(history.code, history.stderr).toBe(0);
    const [head, table, ...rest] = [
      lines(history).slice(0, 1),
      cells({ ...history, stdout: lines(history).slice(1, 5).join("\n") }),
      ...lines(history).slice(5),
    ];
    expect(head).toEqual([`Calculations of "${title}" (${sessionId}), oldest first, times in Asia/Karachi:`]);
    expect(table).toEqual([
      ["at", "why", "policy version", "fingerprint", "what changed"],
      [
        karachiSecond(calculations[0]!.at.getTime()),
        "from the command line",
        "1",
        calculations[0]!.fingerprint.slice(0, 12),
        "First calculation.",
      ],
      [
        karachiSecond(calculations[1]!.at.getTime()),
        "policy version 3 applied to past classes",
        "3",
        calculations[1]!.fingerprint.slice(0, 12),
        "1 row changed: Ali present, 63.3 % → late (12 min late), 63.3 %.",
      ],
    ]);
    expect(rest.slice(0, 2)).toEqual(["Overrides, oldest first:", `Sara (${sara.livekitIdentity}, student):`]);
    expect(rest[2]).toMatch(/^  Excused \(was present\) by API key "test" on .+: “sick note”$/);
    expect(rest).toHaveLength(3);
  });

  test("attendance:provenance names the webhooks that opened and closed each interval", async () => {
    const at = (minute: number) => karachiClock(start + minute * MIN);
    const person = (who: typeof ali, role: string, percentage: string, from: number, to: number) => {
      const ids = webhooks.get(who.livekitIdentity)!;
      return [
        `${who.name} (${who.livekitIdentity}, ${role}), ${percentage} %:`,
        `  ${at(from)}–${at(to)}`,
        `    joined ${at(from)} (webhook ${ids.joined}) → left ${at(to)} (webhook ${ids.left})`,
      ];
    };
    const all = await cli("attendance:provenance", sessionId);
    expect(all.code, all.stderr).toBe(0);
    expect(lines(all)).toEqual([
      `The webhooks behind "${title}" (${sessionId}), times in Asia/Karachi:`,
      ...person(teacher, "teacher", "100.0", 0, 60),
      ...person(ali, "student", "63.3", 12, 50),
      ...person(sara, "student", "95.0", 3, 60),
    ]);
    const one = await cli("attendance:provenance", sessionId, "--identity", ali.livekitIdentity);
    expect(lines(one)).toEqual([
      `The webhooks behind "${title}" (${sessionId}), times in Asia/Karachi:`,
      ...person(ali, "student", "63.3", 12, 50),
    ]);
  });
});
