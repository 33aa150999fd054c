import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { storeFinishedClasses } from "../lib/simulation/stored-classes.ts";
import { runCli } from "./support/cli.ts";
import { createTestDatabase } from "./support/postgres.ts";

// The calculation is killed (SIGKILL, as the OOM killer or a lost machine would) in the middle of a
// large run. Each batch of sessions is one transaction, so a reader sees every session either with
// its complete new report or as it was; the next run finishes the rest, and the result is the one
// an uninterrupted run gives.
const CLASSES = 1_000;
const STUDENTS = 20;

describe("a calculation killed halfway", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let stored: Awaited<ReturnType<typeof storeFinishedClasses>>;

  beforeAll(async () => {
    database = await createTestDatabase("rollcall_crash");
    const migrated = await runCli(["db:migrate"], { DATABASE_URL: database.url });
    expect(migrated.code, migrated.stderr).toBe(0);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    stored = await storeFinishedClasses(pool, { count: CLASSES, label: "crash", students: STUDENTS, seed: 7 });
    await pool.query("VACUUM ANALYZE");
  }, 300_000);
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  /** Every session's calculated flag and report count, and any report set that is not whole. */
  async function state() {
    const { rows } = await pool.query<{ id: string; is_calculated: boolean; reports: number; roster: number }>(
      `SELECT s.id, s.is_calculated,
              (SELECT count(*)::int FROM attendance_report r WHERE r.session_id = s.id) AS reports,
              (SELECT count(*)::int FROM session_roster sr WHERE sr.session_id = s.id) AS roster
       FROM session s WHERE s.academy_id = $1`,
      [stored.academyId],
    );
    const torn = rows.filter((row) => (row.is_calculated ? row.reports < row.roster : row.reports !== 0));
    return { calculated: rows.filter((row) => row.is_calculated).length, torn };
  }

  const snapshot = async () =>
    (
      await pool.query(
        `SELECT session_id, identity, role, status, attended_seconds, session_seconds, percentage, is_late, late_minutes,
                first_join_at, last_leave_at, intervals, connection_count, explanation, policy
         FROM attendance_report WHERE academy_id = $1 ORDER BY session_id, identity`,
        [stored.academyId],
      )
    ).rows;

  test("leaves no partial report, and the next run completes with the uninterrupted result", async () => {
    const child = spawn(process.execPath, [path.resolve("bin/rollcall.mjs"), "attendance:calculate", "--days", "30"], {
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code, signal) => resolve(signal ? -1 : code)),
    );
    // Kill it once some batches have committed and others have not.
    let seen = 0;
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      seen = (await state()).calculated;
      if (seen > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe(-1);

    const afterCrash = await state();
    expect(afterCrash.torn).toEqual([]);
    expect(afterCrash.calculated).toBeGreaterThan(0);
    expect(afterCrash.calculated).toBeLessThan(CLASSES);

    const resumed = await runCli(
      ["attendance:calculate", "--days", "30"],
      { DATABASE_URL: database.url },
      { timeoutMs: 300_000 },
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    const afterResume = await state();
    expect(afterResume).toEqual({ calculated: CLASSES, torn: [] });
    const resumedReports = await snapshot();
    expect(resumedReports.length).toBe(stored.roster);

    const uninterrupted = await calculateSessions({
      pool,
      sessionIds: stored.sessionIds,
      force: true,
      trigger: "manual",
    });
    expect(uninterrupted.failures).toEqual([]);
    expect(await snapshot()).toEqual(resumedReports);
  }, 600_000);
});
