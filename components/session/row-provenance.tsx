"use client";

import Link from "next/link";
import { createContext, useContext } from "react";
import {
  describeSource,
  PROVENANCE_NOT_KEPT,
  provenanceEventIds,
  type ProvenanceInterval,
} from "@/lib/reports/provenance.ts";
import { formatTime } from "../../lib/time/format.ts";
import type { ReportRow } from "./use-session-data.ts";

/**
 * Whether the viewer may open the admin event log (admins only): then each interval links to its
 * webhooks there; a teacher reads the same ids and times without a link.
 */
export const EventLogAccess = createContext(false);

/** The admin event log filtered to the webhooks behind one interval. */
export function eventLogHref(interval: ProvenanceInterval): string {
  return `/admin/events?${new URLSearchParams({ ids: provenanceEventIds([interval]).join(",") })}`;
}

function IntervalItem({ interval, timeZone }: { interval: ProvenanceInterval; timeZone: string }) {
  const canOpenEventLog = useContext(EventLogAccess);
  const span = `${formatTime(interval.start, timeZone)}–${formatTime(interval.end, timeZone)}`;
  return (
    <li>
      <span className="font-medium tabular-nums">{span}</span>
      {interval.merged ? <> · {interval.sources.length} connections merged (two devices or a reconnect)</> : null}
      {canOpenEventLog ? (
        <>
          {" "}
          <Link href={eventLogHref(interval)} className="text-indigo-800 underline">
            these webhooks in the event log<span className="sr-only"> for {span}</span>
          </Link>
        </>
      ) : null}
      <ul className="ml-4 list-disc">
        {interval.sources.map((source) => (
          <li key={source.sid} className="break-words">
            {describeSource(source, timeZone)}
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * The intervals behind a report row, with how each connection opened and closed and by which
 * webhooks (lib/attendance decision 14), folded away until opened.
 */
export function RowProvenance({ row, timeZone }: { row: ReportRow; timeZone: string }) {
  if (row.provenance === undefined) return null;
  return (
    <details className="mt-1" data-testid={`provenance-${row.identity}`}>
      <summary className="cursor-pointer text-indigo-800 underline">
        Webhooks behind it<span className="sr-only"> for {row.person?.name ?? row.identity}</span>
      </summary>
      {row.provenance === null ? (
        <p className="mt-1">{PROVENANCE_NOT_KEPT}</p>
      ) : row.provenance.length === 0 ? (
        <p className="mt-1">No interval: no webhook put them in the class.</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {row.provenance.map((interval) => (
            <IntervalItem key={interval.start} interval={interval} timeZone={timeZone} />
          ))}
        </ul>
      )}
    </details>
  );
}
