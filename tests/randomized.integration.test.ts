import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calculateSessions } from "../lib/reports/calculate-sessions.ts";
import { createRng } from "../lib/simulation/random.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy } from "./support/fixtures.ts";
import { compareWithReference, createRandomClasses, deliverAll, duplicatedAndShuffled } from "./support/random-classes.ts";

// 1,000 random classes per database, their webhooks duplicated and shuffled across classes, through
// the real route; every report must equal the pure core's over the same stream in order.
const CLASSES = Number(process.env.ROLLCALL_RANDOM_CLASSES ?? 1000);
const SEED = Number(process.env.ROLLCALL_RANDOM_SEED ?? 20261125);

describe.each(backends())("randomized end-to-end on $name", (backend) => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test(`${CLASSES} classes delivered duplicated and shuffled give the reports of the ordered streams (seed ${SEED})`, async () => {
    const { key } = await seedAcademy(db.prisma, "Randomized Academy");
    const classes = await createRandomClasses(backend.baseUrl, key, { count: CLASSES, seed: SEED });
    const deliveries = duplicatedAndShuffled(createRng(SEED + 1), classes);
    const statuses = await deliverAll(backend.baseUrl, deliveries);
    expect(Object.fromEntries(statuses)).toEqual({ 200: deliveries.length });

    const ids = classes.flatMap((c) => c.bodies.map((body) => (JSON.parse(body) as { id: string }).id));
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM webhook_event WHERE id = ANY($1::text[])", [ids]);
    expect(Number(rows[0]!.n)).toBe(new Set(ids).size);

    // The test server's own sweep may be calculating some of them too; forcing gives the last word
    // over the complete log, and the per-session lock keeps the two from interleaving.
    const summary = await calculateSessions({ pool: db.pool, sessionIds: classes.map((c) => c.sessionId), force: true, trigger: "manual" });
    expect(summary.failures).toEqual([]);
    const differences = await compareWithReference(db.pool, classes);
    expect(differences.slice(0, 20)).toEqual([]);
    expect(differences.length).toBe(0);
  }, 900_000);
});
