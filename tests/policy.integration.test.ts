// Two updates of the policy at once, each changing a different field, both survive: the update reads
// and writes the academy's policy in one transaction holding its row (lib/policy/academy-policy.ts),
// so the second reads what the first wrote instead of writing back the value it read before; and
// each saved change is the next version, without a gap or a repeat.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { updateAcademyPolicy } from "../lib/policy/academy-policy.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy } from "./support/fixtures.ts";

const ROUNDS = 12;
const ACTOR = { kind: "api-key", apiKeyId: "policy-race" } as const;

describe.each(backends())("concurrent policy updates on $name", (backend) => {
  let db: BackendDb;
  let academyId: string;

  beforeAll(async () => {
    db = connectBackend(backend);
    academyId = (await seedAcademy(db.prisma, "Policy Race Academy")).academy.id;
  });

  afterAll(async () => {
    await db.close();
  });

  test("an update of the defaults' grace and one of a type's threshold, sent together, both stay", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const graceMinutes = round;
      const absentBelow = round / 100;
      await Promise.all([
        updateAcademyPolicy(db.prisma, academyId, { defaults: { graceMinutes } }, ACTOR),
        updateAcademyPolicy(db.prisma, academyId, { types: { quran: { absentBelow } } }, ACTOR),
      ]);
      const academy = await db.prisma.academy.findUniqueOrThrow({
        where: { id: academyId },
        include: { typePolicies: true },
      });
      const quran = academy.typePolicies.find((policy) => policy.sessionType === "quran");
      expect({ round, graceMinutes: academy.graceMinutes, absentBelow: quran?.absentBelow }).toEqual({
        round,
        graceMinutes,
        absentBelow,
      });
    }
  });

  test("an update of two different defaults at once keeps both", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const graceMinutes = 20 + round;
      const presentAbove = 0.8 + round / 100;
      await Promise.all([
        updateAcademyPolicy(db.prisma, academyId, { defaults: { graceMinutes } }, ACTOR),
        updateAcademyPolicy(db.prisma, academyId, { defaults: { presentAbove } }, ACTOR),
      ]);
      const academy = await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } });
      expect({ round, graceMinutes: academy.graceMinutes, presentAbove: academy.presentAbove }).toEqual({
        round,
        graceMinutes,
        presentAbove,
      });
    }
  });

  test("every saved change is one new version, numbered without a gap; version 1 is the academy's first policy", async () => {
    // 1 + two rounds of ROUNDS updates, each changing a value (every round's values are new).
    const versions = await db.prisma.policyVersion.findMany({ where: { academyId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 1 + 4 * ROUNDS }, (_, i) => i + 1));
    expect(versions[0]!.actor).toBeNull();
    expect(versions[0]!.defaults).toEqual({
      graceMinutes: 15,
      absentBelow: 0.1,
      partialAtOrBelow: 0.5,
      presentAbove: 0.75,
    });
    expect(versions.slice(1).every((v) => v.actor === "api-key:policy-race")).toBe(true);
    const academy = await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } });
    expect(academy.policyVersion).toBe(1 + 4 * ROUNDS);
    // The last version holds what the academy has now: the second test's last round.
    expect(versions.at(-1)!.defaults).toMatchObject({ graceMinutes: 20 + ROUNDS, presentAbove: 0.8 + ROUNDS / 100 });
  });

  test("saving the policy as it is makes no new version", async () => {
    const before = (await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } })).policyVersion;
    await updateAcademyPolicy(db.prisma, academyId, { defaults: { graceMinutes: 20 + ROUNDS } }, ACTOR);
    expect((await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } })).policyVersion).toBe(before);
  });
});
