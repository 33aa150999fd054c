"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { DEFAULT_POLICY_WEEKS, previewPolicy } from "@/client/policy-api.ts";
import type { TPolicyUpdate } from "@/lib/policy/academy-policy.ts";
import { plural } from "@/lib/words.ts";
import { problemMessages } from "../../client/api-fetch.ts";
import { ChangesView } from "./changes-view.tsx";
import { WeeksSelect } from "./weeks-select.tsx";

/**
 * Inside the policy form, before Save: what the form's values would change in the classes of the
 * last N weeks if they were recalculated with them (nothing is written). `read` checks the form
 * (its errors shown as on Save) and gives the change, or null. `edits` counts the form's edits, so
 * a preview of values since changed says so.
 */
export function ChangePreview({
  read,
  edits,
  timeZone,
}: {
  read: () => TPolicyUpdate | null;
  edits: number;
  timeZone: string;
}) {
  const [weeks, setWeeks] = useState(DEFAULT_POLICY_WEEKS);
  const [previewedAt, setPreviewedAt] = useState<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const preview = useMutation({ mutationFn: previewPolicy });
  // Focus goes to the result once it is shown, so a keyboard and a screen reader land on it.
  useEffect(() => {
    if (preview.data) heading.current?.focus();
  }, [preview.data]);
  function run() {
    const changes = read();
    if (!changes) return;
    setPreviewedAt(edits);
    preview.mutate({ changes, weeks });
  }
  const stale = preview.data !== undefined && previewedAt !== edits;
  return (
    <section aria-labelledby="change-preview-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 id="change-preview-heading" className="font-semibold">
        Before saving: what it would change
      </h3>
      <p className="mt-1 max-w-2xl text-sm text-slate-700">
        The classes already calculated in the chosen weeks, recalculated with these values. Nothing is saved or changed
        by a preview.
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <WeeksSelect id="change-preview-weeks" value={weeks} onChange={setWeeks} />
        <button
          type="button"
          onClick={run}
          disabled={preview.isPending}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          {preview.isPending ? "Previewing…" : "Preview"}
        </button>
      </div>
      <div role="status" aria-live="polite" className="mt-2 text-sm">
        {preview.error ? (
          <span className="text-rose-800">No preview: {problemMessages(preview.error).join(" ")}</span>
        ) : preview.data ? (
          `Preview of the last ${plural(preview.variables.weeks, "week")}: ${preview.data.words}`
        ) : null}
      </div>
      {preview.data ? (
        <div className="mt-2">
          <h4 ref={heading} tabIndex={-1} className="text-sm font-semibold">
            Preview: the last {plural(preview.variables.weeks, "week")} with these values
          </h4>
          {stale ? (
            <p className="text-sm font-medium text-amber-800">
              The values or the weeks changed since this preview: press Preview again.
            </p>
          ) : null}
          <ChangesView
            summary={preview.data}
            timeZone={timeZone}
            label="Changes in the preview"
            testId="change-preview"
          />
        </div>
      ) : null}
    </section>
  );
}
