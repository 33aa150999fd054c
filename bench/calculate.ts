// bench/calculate: N finished classes of 30 students with realistic event streams, written straight
// into the database as ingest would have stored them, then the calculation of all of them, timed.
//
//   npm run bench:calculate -- [--sizes 100,10000] [--students 30] [--database postgres|embedded]
import { createPool } from "../lib/db/client.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { storeFinishedClasses } from "../lib/simulation/stored-classes.ts";
import { arg, createBenchDatabase, machineLine } from "./support.ts";

const SIZES = arg("sizes", "100,10000").split(",").map(Number);
const STUDENTS = Number(arg("students", "30"));
const DATABASE = arg("database", "postgres");

async function main() {
  const database = await createBenchDatabase(DATABASE);
  const pool = createPool(database.url, 4);
  const rows: string[] = [];
  let allMet = true;
  try {
    for (const size of SIZES) {
      const generatedAt = performance.now();
      const { sessionIds, roster, events } = await storeFinishedClasses(pool, {
        count: size,
        label: `n${size}`,
        students: STUDENTS,
      });
      // Settle the freshly written tables as a production database would be (statistics, visibility map).
      await pool.query("VACUUM ANALYZE webhook_event, session, session_roster, person, attendance_report");
      const generateSeconds = (performance.now() - generatedAt) / 1000;

      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const started = performance.now();
      const summary = await calculateSessions({ pool, sessionIds, trigger: "cli" });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);

      const stored = (
        await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM attendance_report WHERE academy_id = $1", [
          `bench-n${size}`,
        ])
      ).rows[0]!.n;
      if (
        summary.failures.length ||
        summary.sessions !== size ||
        stored !== summary.students + summary.teachers + summary.guests ||
        summary.students + summary.teachers !== roster
      ) {
        throw new Error(`wrong result for ${size}: ${JSON.stringify({ ...summary, stored, roster })}`);
      }
      const target = size <= 100 ? 1 : 30;
      const met = seconds < target * (size / (size <= 100 ? 100 : 10_000));
      allMet &&= met;
      const s = summary.statuses;
      rows.push(
        `${String(size).padStart(7)}  ${String(events).padStart(9)}  ${seconds.toFixed(2).padStart(7)} s  ${(size / seconds).toFixed(0).padStart(7)}/s  ${((summary.students + summary.teachers) / seconds).toFixed(0).padStart(8)}/s  ${(peakRss / 2 ** 20).toFixed(0).padStart(6)} MiB  ${generateSeconds.toFixed(1).padStart(6)} s  ${s.present}/${s.late}/${s.partial}/${s.absent} (+${summary.guests} guests)`,
      );
    }
  } finally {
    await pool.end();
    await database.drop();
  }
  console.log(`\nbench/calculate — classes of ${STUDENTS} students; ${database.label}; ${machineLine()}`);
  console.log(
    `${"classes".padStart(7)}  ${"webhooks".padStart(9)}  ${"time".padStart(9)}  ${"sessions".padStart(9)}  ${"people".padStart(10)}  ${"peak RSS".padStart(10)}  ${"generate".padStart(8)}  present/late/partial/absent`,
  );
  for (const row of rows) console.log(row);
  console.log(`targets (100 classes < 1 s, 10,000 < 30 s): ${allMet ? "met" : "NOT met"}`);
}

await main();
