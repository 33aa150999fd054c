"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type RefObject } from "react";
import { applyPolicy, DEFAULT_POLICY_WEEKS, previewPolicy } from "@/client/policy-api.ts";
import { formatDate } from "@/lib/time/format.ts";
import { plural } from "@/lib/words.ts";
import { problemMessages } from "../../client/api-fetch.ts";
import { ChangesView } from "./changes-view.tsx";
import { WeeksSelect } from "./weeks-select.tsx";

const BUTTON =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";
const PRIMARY =
  "rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60";

/** Focus on the element once `shown` is (a result's heading), so a keyboard and a screen reader land on it. */
function useFocusWhenShown(element: RefObject<HTMLElement | null>, shown: unknown) {
  useEffect(() => {
    if (shown) element.current?.focus();
  }, [element, shown]);
}

/** Preview, then confirm: the classes of the last N weeks recalculated with the current version, and the recorded diff. */
function useRecalculation(weeks: number) {
  const router = useRouter();
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const preview = useMutation({ mutationFn: previewPolicy });
  const apply = useMutation({
    mutationFn: applyPolicy,
    onSuccess: () => {
      preview.reset();
      router.refresh();
    },
  });
  useFocusWhenShown(previewHeading, preview.data);
  useFocusWhenShown(resultHeading, apply.data);
  return { preview, apply, previewHeading, resultHeading, runPreview: () => preview.mutate({ weeks }) };
}

/**
 * Past classes keep the version they were calculated with; here an admin applies the current
 * version to those of the last N weeks: a preview of what it would change, a confirmation, then what
 * it changed as recorded. Keyed by the version, so a newly saved one starts afresh.
 */
export function RecalculatePanel({ version, timeZone }: { version: number; timeZone: string }) {
  const [weeks, setWeeks] = useState(DEFAULT_POLICY_WEEKS);
  const { preview, apply, previewHeading, resultHeading, runPreview } = useRecalculation(weeks);
  const error = preview.error ?? apply.error;
  return (
    <section aria-labelledby="recalculate-heading" className="space-y-3">
      <h2 id="recalculate-heading" className="text-lg font-semibold">
        Recalculate past classes with version {version}
      </h2>
      <p className="max-w-2xl text-sm text-slate-700">
        Recalculates the classes already calculated in the chosen weeks with version {version}, and records what
        changed. Overrides stay as they are. Preview it first.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <WeeksSelect
          id="recalculate-weeks"
          value={weeks}
          onChange={(next) => {
            setWeeks(next);
            preview.reset();
          }}
        />
        <button type="button" onClick={runPreview} disabled={preview.isPending || apply.isPending} className={BUTTON}>
          {preview.isPending ? "Previewing…" : "Preview the recalculation"}
        </button>
      </div>
      <div role="status" aria-live="polite" className="text-sm">
        {error ? <span className="text-rose-800">{problemMessages(error).join(" ")}</span> : null}
        {preview.data ? `Preview: ${preview.data.words}` : null}
        {apply.data ? `Recalculated: ${apply.data.changes.words}` : null}
      </div>
      {preview.data ? (
        <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h3 ref={previewHeading} tabIndex={-1} className="font-semibold">
            What recalculating the last {plural(preview.variables.weeks, "week")} with version {version} would change
          </h3>
          <ChangesView
            summary={preview.data}
            timeZone={timeZone}
            label="Changes the recalculation would make"
            testId="recalculate-preview"
          />
          <button
            type="button"
            onClick={() => apply.mutate(preview.variables.weeks)}
            disabled={apply.isPending}
            className={PRIMARY}
          >
            {apply.isPending
              ? "Recalculating…"
              : `Recalculate ${plural(preview.data.sessions, "class", "classes")} with version ${version}`}
          </button>
        </div>
      ) : null}
      {apply.data ? (
        <div className="space-y-2 rounded-lg border border-emerald-200 bg-white p-4">
          <h3 ref={resultHeading} tabIndex={-1} className="font-semibold">
            Recalculated with version {apply.data.policyVersion}: classes from {formatDate(apply.data.from, timeZone)}{" "}
            to {formatDate(apply.data.to, timeZone)}
          </h3>
          <ChangesView summary={apply.data.changes} timeZone={timeZone} label="Changes recorded" testId="recorded" />
          {apply.data.failures.length ? (
            <p role="alert" className="text-sm text-rose-800">
              {plural(apply.data.failures.length, "class", "classes")} could not be recalculated:{" "}
              {apply.data.failures.map((failure) => failure.error).join("; ")}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
