"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fetchApplication } from "@/client/policy-api.ts";
import { queryKeys } from "@/client/query-keys.ts";
import type { PolicyVersionView } from "@/lib/policy/academy-policy.ts";
import type { PolicyApplicationView } from "@/lib/policy/apply-policy.ts";
import { policyValuesInWords } from "@/lib/policy/policy-fields.ts";
import { formatDate, formatDayTime as when } from "@/lib/time/format.ts";
import { plural } from "@/lib/words.ts";
import { problemMessages } from "../../client/api-fetch.ts";
import { CursorLinks } from "../cursor-links.tsx";
import { ScrollTable } from "../scroll-table.tsx";
import { ChangesView } from "./changes-view.tsx";

/** One past recalculation's diff, read when its disclosure is first opened. */
function ApplicationChanges({ id, timeZone }: { id: string; timeZone: string }) {
  const application = useQuery({ queryKey: queryKeys.policyApplication(id), queryFn: () => fetchApplication(id) });
  if (application.error)
    return <p className="text-sm text-rose-800">Could not load it: {problemMessages(application.error).join(" ")}</p>;
  if (!application.data) return <p className="text-sm text-slate-700">Loading what it changed…</p>;
  return (
    <ChangesView
      summary={application.data.changes}
      timeZone={timeZone}
      label="Changes recorded"
      testId={`application-${id}`}
    />
  );
}

function ApplicationItem({ application, timeZone }: { application: PolicyApplicationView; timeZone: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" data-application-id={application.id}>
      <details onToggle={(event) => setOpened(opened || event.currentTarget.open)}>
        <summary className="cursor-pointer text-sm">
          <span className="font-medium">
            Version {application.policyVersion} applied by {application.by ?? "someone no longer known"} on{" "}
            {when(application.at, timeZone)}
          </span>{" "}
          to classes from {formatDate(application.from, timeZone)} to {formatDate(application.to, timeZone)}:{" "}
          {plural(application.sessions, "class", "classes")} recalculated,{" "}
          {plural(application.changedSessions, "class", "classes")} changed, {plural(application.changedRows, "row")}{" "}
          changed
        </summary>
        <div className="mt-2">{opened ? <ApplicationChanges id={application.id} timeZone={timeZone} /> : null}</div>
      </details>
    </li>
  );
}

/** The academy's recalculations of past classes, newest first, each opening to what it changed. */
export function ApplicationList({
  applications,
  timeZone,
  nextBefore = null,
  isOlderPage = false,
}: {
  applications: PolicyApplicationView[];
  timeZone: string;
  /** The next (older) page's cursor, when there is one. */
  nextBefore?: string | null;
  /** This page continues an earlier one (it does not start at the newest). */
  isOlderPage?: boolean;
}) {
  return (
    <section aria-labelledby="applications-heading" className="space-y-2">
      <h2 id="applications-heading" className="text-lg font-semibold">
        Past recalculations
      </h2>
      {applications.length ? (
        <ul className="space-y-2" aria-label="Past recalculations">
          {applications.map((application) => (
            <ApplicationItem key={application.id} application={application} timeZone={timeZone} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-700">
          {isOlderPage
            ? "No older recalculations."
            : "No past classes have been recalculated with a policy version yet."}
        </p>
      )}
      <CursorLinks
        label="More past recalculations"
        href="/admin/policy"
        hash="#applications-heading"
        param="before"
        isLaterPage={isOlderPage}
        nextCursor={nextBefore}
        firstText="← Newest recalculations"
        nextText="Older recalculations →"
      />
    </section>
  );
}

/** Every version of the policy, newest first: who saved it, when, and its values. */
export function VersionHistory({ versions, timeZone }: { versions: PolicyVersionView[]; timeZone: string }) {
  return (
    <section aria-labelledby="versions-heading" className="space-y-2">
      <h2 id="versions-heading" className="text-lg font-semibold">
        Version history
      </h2>
      <ScrollTable
        label="Version history"
        caption="Every version of the attendance policy, newest first"
        columns={[{ label: "Version", numeric: true }, { label: "Saved" }, { label: "By" }, { label: "Values" }]}
      >
        {versions.map((version) => (
          <tr key={version.version} data-testid={`policy-version-${version.version}`}>
            <td className="px-3 py-2 text-right align-top tabular-nums">{version.version}</td>
            <td className="whitespace-nowrap px-3 py-2 align-top">{when(version.at, timeZone)}</td>
            <td className="px-3 py-2 align-top">{version.by ?? "the academy's first policy"}</td>
            <td className="px-3 py-2 align-top">
              {policyValuesInWords(version).map((line) => (
                <span key={line} className="block">
                  {line}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </ScrollTable>
    </section>
  );
}
