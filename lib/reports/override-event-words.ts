import { formatDateTime } from "../time/format.ts";
import type { OverrideEventView } from "./override-event-view.ts";

/** "Excused", "Marked late": an override's result as the start of a sentence. */
const setWord = (status: string) => (status === "excused" ? "Excused" : `Marked ${status}`);

/**
 * One event of a report's override history as a sentence, in the academy's zone: "Excused (was
 * absent) by Ustadha Khadija (teacher) on 3 Dec, 10:04:05: “sick note”", "Override removed by …
 * on …: back to the calculated absent", "Calculated absent → present after recalculation on …; the
 * override stays". The session page's history; the register's cell title and the XLSX's note say
 * only the last change by hand, in their own words (cellChangeText in lib/register/register-grid.ts).
 */
export function describeOverrideEvent(event: OverrideEventView, timeZone: string): string {
  const on = formatDateTime(event.at, timeZone);
  const by = event.by ?? "someone unknown";
  const note = event.note ? `: “${event.note}”` : "";
  switch (event.action) {
    case "set": {
      const was = event.from && event.from !== event.to ? ` (was ${event.from})` : "";
      return `${setWord(event.to ?? "overridden")}${was} by ${by} on ${on}${note}`;
    }
    case "remove":
      return `Override removed by ${by} on ${on}: back to the calculated ${event.calculatedStatus}`;
    case "recalculated":
      return `Calculated ${event.from ?? "?"} → ${event.to ?? "?"} after recalculation on ${on}; the override stays`;
  }
}
