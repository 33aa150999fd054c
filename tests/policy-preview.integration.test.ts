// A policy preview says exactly what applying the policy then writes (issue 15), over random
// classes on both databases: for several random policy changes in a row, the preview of the change
// equals, row by row, what saving it and recalculating the past week with it then writes to the
// reports, and the diff the application records equals the preview's. Nothing here is worked out
// by the code under test alone: the expected reports after are the stored reports before with the
// preview's changes applied, and they must equal the reports read back from the database.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { updateAcademyPolicy, type TPolicyUpdate } from "../lib/policy/academy-policy.ts";
import { applyCurrentPolicy, previewPolicyChange } from "../lib/policy/policy-changes.ts";
import { createRng, randomInt, type Rng } from "../lib/simulation/random.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy } from "./support/fixtures.ts";
import { createRandomClasses, deliverAll } from "./support/random-classes.ts";

const CLASSES = 60;
const ROUNDS = 6;
const SEED = 20261201;
const ACTOR = { kind: "api-key", apiKeyId: "property" } as const;

/** A valid random change: a grace and rising thresholds (two decimals), to the defaults or one type. */
function randomChange(rng: Rng): TPolicyUpdate {
  const cuts = [randomInt(rng, 0, 100), randomInt(rng, 0, 100), randomInt(rng, 0, 100)].sort((a, b) => a - b);
  const fields = {
    graceMinutes: randomInt(rng, 0, 30),
    absentBelow: cuts[0]! / 100,
    partialAtOrBelow: cuts[1]! / 100,
    presentAbove: cuts[2]! / 100,
  };
  const target = randomInt(rng, 0, 3);
  if (target === 3) return { defaults: fields };
  return { types: { [(["quran", "academic", "interactive"] as const)[target]!]: fields } };
}

interface Figures {
  status: string;
  attendedSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
}

/** Every report of the academy's sessions, by "session identity", as the comparison sees them. */
async function storedReports(db: BackendDb, sessionIds: string[]): Promise<Map<string, Figures>> {
  const rows = await db.prisma.attendanceReport.findMany({
    where: { sessionId: { in: sessionIds } },
    select: {
      sessionId: true,
      identity: true,
      status: true,
      attendedSeconds: true,
      percentage: true,
      isLate: true,
      lateMinutes: true,
    },
  });
  return new Map(rows.map(({ sessionId, identity, ...figures }) => [`${sessionId} ${identity}`, figures]));
}

describe.each(backends())("a policy preview equals what its application writes, on $name", (backend) => {
  let db: BackendDb;
  let academyId = "";
  let sessionIds: string[] = [];

  beforeAll(async () => {
    db = connectBackend(backend);
    const seeded = await seedAcademy(db.prisma, "Policy Preview Academy");
    academyId = seeded.academy.id;
    const classes = await createRandomClasses(backend.baseUrl, seeded.key, { count: CLASSES, seed: SEED });
    const bodies = classes.flatMap((c) => c.bodies);
    expect(Object.fromEntries(await deliverAll(backend.baseUrl, bodies))).toEqual({ 200: bodies.length });
    sessionIds = classes.map((c) => c.sessionId);
    const summary = await calculateSessions({ pool: db.pool, sessionIds, trigger: "scheduled" });
    expect(summary.failures).toEqual([]);
  }, 300_000);
  afterAll(() => db.close());

  test(`${ROUNDS} random policy changes: preview = application, row by row (seed ${SEED})`, async () => {
    const rng = createRng(SEED);
    let changedRowsSeen = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const changes = randomChange(rng);
      const before = await storedReports(db, sessionIds);
      const { currentVersion, values, from, to, ...preview } = await previewPolicyChange(
        db.prisma,
        db.pool,
        academyId,
        { changes, weeks: 1 },
      );
      void [values, from, to];
      expect(currentVersion, `round ${round}`).toBe(round);
      expect(preview.sessions, `round ${round}`).toBe(CLASSES);

      await updateAcademyPolicy(db.prisma, academyId, changes, ACTOR);
      const application = await applyCurrentPolicy(db.pool, academyId, { weeks: 1, actor: ACTOR });
      expect(application.failures).toEqual([]);
      expect(application.policyVersion, `round ${round}`).toBe(round + 1);
      expect(application.changes, `round ${round}: ${JSON.stringify(changes)}`).toEqual(preview);

      // The reports after = the reports before, with the preview's changes applied.
      const expected = new Map(before);
      for (const session of preview.sessionsChanged)
        for (const change of session.changes) {
          const key = `${session.sessionId} ${change.identity}`;
          if (change.after) expected.set(key, change.after);
          else expected.delete(key);
        }
      const after = await storedReports(db, sessionIds);
      expect(Object.fromEntries(after), `round ${round}: ${JSON.stringify(changes)}`).toEqual(
        Object.fromEntries(expected),
      );
      changedRowsSeen += preview.changedRows;
    }
    // The random policies did change reports: the comparison above was not between two unchanged sets.
    expect(changedRowsSeen).toBeGreaterThan(CLASSES);
  }, 300_000);
});
