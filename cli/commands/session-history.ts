import "server-only";
import { ROLE_ORDER } from "../../lib/attendance/index.ts";
import { loadSessionCalculations } from "../../lib/calculation/calculation-history.ts";
import { calculationReason } from "../../lib/calculation/report-changes.ts";
import { resolveOverrideAuthors } from "../../lib/reports/override-author.ts";
import { describeOverrideEvent } from "../../lib/reports/override-event-words.ts";
import { toOverrideEventView } from "../../lib/reports/override-event-view.ts";
import { loadOverrideHistory } from "../../lib/reports/override-history.ts";
import { describeSource, PROVENANCE_NOT_KEPT, readProvenance } from "../../lib/reports/provenance.ts";
import { formatTime } from "../../lib/time/format.ts";
import { zonedIso } from "../../lib/time/zoned-time.ts";
import type { PrismaClient } from "../../lib/db/client.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { ATTENDANCE_HISTORY_OPTIONS, ATTENDANCE_PROVENANCE_OPTIONS } from "../definitions/sessions.ts";
import { requireSession } from "../lookups.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";
import { joinWords } from "../suggest.ts";

/** How much of a fingerprint the history shows: enough to tell calculations apart. */
const FINGERPRINT_PREFIX = 12;

/** A session's report rows, teacher first, then students and guests, each by name. */
async function reportRows(prisma: PrismaClient, sessionId: string) {
  const rows = await prisma.attendanceReport.findMany({
    where: { sessionId },
    select: { identity: true, role: true, percentage: true, intervals: true, person: { select: { name: true } } },
  });
  return rows
    .map((row) => ({ ...row, who: row.person?.name ?? row.identity }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.who.localeCompare(b.who));
}

/** "Ali (lk-ali, student)": a report row's person as the lines below name them. */
const personWords = (row: { who: string; identity: string; role: string }) =>
  row.who === row.identity ? `${row.identity} (${row.role})` : `${row.who} (${row.identity}, ${row.role})`;

/** Each calculation of a session, then each report's override history; writes nothing. */
export async function attendanceHistory({
  positionals,
}: ParsedCommand<typeof ATTENDANCE_HISTORY_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const session = await requireSession(db.prisma, positionals[0]!);
    const zone = session.academy.timezone;
    const calculations = await loadSessionCalculations(db.prisma, session.id);
    console.log(`Calculations of "${session.title}" (${session.id}), oldest first, times in ${zone}:`);
    console.log(
      calculations.length
        ? formatTable(
            ["at", "why", "policy version", "fingerprint", "what changed"],
            calculations.map((calculation) => [
              zonedIso(new Date(calculation.at), zone, "second"),
              calculationReason(calculation),
              calculation.policyVersion,
              calculation.fingerprint.slice(0, FINGERPRINT_PREFIX),
              calculation.words,
            ]),
          )
        : "None: the session has not been calculated.",
    );
    const history = await loadOverrideHistory(db.prisma, { sessionId: session.id });
    const authors = await resolveOverrideAuthors(
      db.prisma,
      [...history.values()].flat().map((event) => event.actor),
    );
    const rows = new Map((await reportRows(db.prisma, session.id)).map((row) => [row.identity, row]));
    console.log("Overrides, oldest first:");
    if (!history.size) console.log("None.");
    for (const [identity, events] of history) {
      const row = rows.get(identity);
      console.log(`${row ? personWords(row) : identity}:`);
      for (const event of events) console.log(`  ${describeOverrideEvent(toOverrideEventView(event, authors), zone)}`);
    }
    return 0;
  });
}

/** Each person's intervals as the last calculation stored them, and the webhooks behind each. */
export async function attendanceProvenance({
  values,
  positionals,
}: ParsedCommand<typeof ATTENDANCE_PROVENANCE_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const session = await requireSession(db.prisma, positionals[0]!);
    const zone = session.academy.timezone;
    const all = await reportRows(db.prisma, session.id);
    const rows = values.identity === undefined ? all : all.filter((row) => row.identity === values.identity);
    if (all.length && !rows.length)
      throw new UsageError(
        `No report row for ${JSON.stringify(values.identity)} in ${session.id}; its identities: ${joinWords(all.map((row) => row.identity))}.`,
      );
    console.log(`The webhooks behind "${session.title}" (${session.id}), times in ${zone}:`);
    if (!all.length) console.log("No report: the session has not been calculated.");
    for (const row of rows) {
      console.log(`${personWords(row)}, ${row.percentage.toFixed(1)} %:`);
      const intervals = readProvenance(row.intervals);
      if (intervals === null) console.log(`  ${PROVENANCE_NOT_KEPT}`);
      else if (!intervals.length) console.log("  No interval: no webhook put them in the class.");
      for (const interval of intervals ?? []) {
        const merged = interval.merged
          ? ` · ${interval.sources.length} connections merged (two devices or a reconnect)`
          : "";
        console.log(`  ${formatTime(interval.start, zone)}–${formatTime(interval.end, zone)}${merged}`);
        for (const source of interval.sources) console.log(`    ${describeSource(source, zone)}`);
      }
    }
    return 0;
  });
}
