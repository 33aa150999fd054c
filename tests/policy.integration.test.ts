// Two updates of the policy at once, each changing a different field, both survive: the update reads
// and writes the academy's policy in one transaction holding its row (lib/policy/academy-policy.ts),
// so the second reads what the first wrote instead of writing back the value it read before.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { updateAcademyPolicy } from "../lib/policy/academy-policy.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy } from "./support/fixtures.ts";

const ROUNDS = 12;

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
        updateAcademyPolicy(db.prisma, academyId, { defaults: { graceMinutes } }),
        updateAcademyPolicy(db.prisma, academyId, { types: { quran: { absentBelow } } }),
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
        updateAcademyPolicy(db.prisma, academyId, { defaults: { graceMinutes } }),
        updateAcademyPolicy(db.prisma, academyId, { defaults: { presentAbove } }),
      ]);
      const academy = await db.prisma.academy.findUniqueOrThrow({ where: { id: academyId } });
      expect({ round, graceMinutes: academy.graceMinutes, presentAbove: academy.presentAbove }).toEqual({
        round,
        graceMinutes,
        presentAbove,
      });
    }
  });
});
