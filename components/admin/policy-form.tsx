"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { AcademyPolicyView } from "@/lib/policy/academy-policy.ts";
import {
  fieldLabel,
  inputName,
  POLICY_FIELDS,
  POLICY_SCOPES,
  readPolicyForm,
  type PolicyFieldInfo,
  type PolicyFormResult,
  type PolicyScope,
  valueInFieldUnit,
} from "@/lib/policy/policy-fields.ts";
import { plural } from "@/lib/words.ts";
import { apiFetch, problemMessages } from "../../client/api-fetch.ts";
import { ChangePreview } from "../policy/change-preview.tsx";

/** A fieldset's title: "Academy defaults", "quran sessions". */
const scopeTitle = (scope: PolicyScope) => (scope === "defaults" ? "Academy defaults" : `${scope} sessions`);

const show = (value: number | null | undefined, field: PolicyFieldInfo) =>
  value === null || value === undefined ? "" : String(valueInFieldUnit(field, value));
const INPUT = "mt-1 w-28 rounded-md border bg-white px-2 py-1 text-sm tabular-nums";

/** One number of one scope: the defaults' are required and explained; a type's shows the default it falls back to. */
function PolicyField({
  policy,
  scope,
  field,
  error,
}: {
  policy: AcademyPolicyView;
  scope: PolicyScope;
  field: PolicyFieldInfo;
  error: string | undefined;
}) {
  const name = inputName(scope, field.key);
  const stored = scope === "defaults" ? policy.defaults[field.key] : policy.types[scope].overrides[field.key];
  return (
    <div className="max-w-44">
      <label htmlFor={name} className="block text-xs font-medium text-slate-800">
        {fieldLabel(field)}
      </label>
      <input
        id={name}
        name={name}
        type="number"
        inputMode="decimal"
        step={field.step}
        min="0"
        max={field.max}
        required={scope === "defaults"}
        placeholder={scope === "defaults" ? undefined : `default ${show(policy.defaults[field.key], field)}`}
        defaultValue={show(stored, field)}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [error ? `${name}-error` : null, scope === "defaults" ? `hint-${field.key}` : null]
            .filter(Boolean)
            .join(" ") || undefined
        }
        className={`${INPUT} ${error ? "border-rose-600 ring-1 ring-rose-600" : "border-slate-300"}`}
      />
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-xs font-medium text-rose-800">
          {error}
        </p>
      ) : null}
      {scope === "defaults" ? (
        <p id={`hint-${field.key}`} className="mt-1 text-xs text-slate-600">
          {field.hint}
        </p>
      ) : null}
    </div>
  );
}

/** What the form's values were read for: saving them, or previewing them. */
type FormAction = "save" | "preview";

/** Every field to correct, each a link that takes focus to its input. */
function ErrorSummary({ errors, action }: { errors: [string, string][]; action: FormAction }) {
  return (
    <div className="rounded-md border border-rose-300 bg-rose-50 p-3 text-rose-900">
      <p className="font-medium">
        {action === "save" ? "Not saved" : "No preview"}: {plural(errors.length, "field")} to correct.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {errors.map(([name, message]) => (
          <li key={name}>
            <a
              href={`#${name.replace(".", "\\.")}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(name)?.focus();
              }}
              className="underline"
            >
              {scopeTitle(name.split(".")[0] as PolicyScope)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The form's values checked (errors shown under their fields, focus on the first): the update, or null. */
function useReadPolicyForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [action, setAction] = useState<FormAction>("save");
  function read(form: HTMLFormElement, reading: FormAction): PolicyFormResult["update"] {
    setAction(reading);
    const values = Object.fromEntries([...new FormData(form).entries()].map(([key, value]) => [key, String(value)]));
    const result = readPolicyForm(values);
    setErrors(result.errors);
    if (!result.update) {
      const first = Object.keys(result.errors)[0];
      if (first) (form.elements.namedItem(first) as HTMLInputElement | null)?.focus();
    }
    return result.update;
  }
  return { errors, action, read };
}

/**
 * The academy's defaults and per-type overrides; an empty type field uses the default. Every field is
 * checked before sending (or previewing), and each error is written under its field, naming it.
 * Saving makes a new version, which classes calculated from then on use.
 */
export function PolicyForm({ policy, timeZone }: { policy: AcademyPolicyView; timeZone: string }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState<{ version: number; changed: boolean } | null>(null);
  const [edits, setEdits] = useState(0);
  const { errors, action, read } = useReadPolicyForm();
  const mutation = useMutation({
    mutationFn: (body: unknown) =>
      apiFetch<{ policy: AcademyPolicyView }>("/api/dashboard/policy", { method: "PUT", body }),
    onSuccess: ({ policy: next }) => {
      setSaved({ version: next.version, changed: next.version !== policy.version });
      router.refresh();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const update = read(event.currentTarget, "save");
    if (update) mutation.mutate(update);
  }

  const errorList = Object.entries(errors);
  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      onChange={() => setEdits((count) => count + 1)}
      noValidate
      className="space-y-6"
      aria-label="Attendance policy"
    >
      {POLICY_SCOPES.map((scope) => (
        <fieldset key={scope} className="rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">{scopeTitle(scope)}</legend>
          <div className="flex flex-wrap gap-4">
            {POLICY_FIELDS.map((field) => (
              <PolicyField
                key={field.key}
                policy={policy}
                scope={scope}
                field={field}
                error={errors[inputName(scope, field.key)]}
              />
            ))}
          </div>
        </fieldset>
      ))}
      <ChangePreview
        read={() => (form.current ? read(form.current, "preview") : null)}
        edits={edits}
        timeZone={timeZone}
      />
      <div role="alert" className="text-sm">
        {errorList.length ? <ErrorSummary errors={errorList} action={action} /> : null}
        {mutation.error ? (
          <p className="text-rose-800">Not saved: {problemMessages(mutation.error).join(" ")}</p>
        ) : null}
      </div>
      <p className="max-w-2xl text-sm text-slate-700">
        Saving makes a new version of the policy: classes calculated from then on use it. Past classes keep the version
        they were calculated with until you recalculate them below.
      </p>
      <div role="status" aria-live="polite" className="text-sm">
        {saved === null ? null : saved.changed ? (
          <span className="text-emerald-800">
            Saved as version {saved.version}. New calculations use it; recalculate past classes below to apply it there.
          </span>
        ) : (
          <span>Nothing to save: these are the values of version {saved.version}.</span>
        )}
      </div>
      <button
        type="submit"
        disabled={mutation.isPending}
        className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
      >
        {mutation.isPending ? "Saving…" : "Save policy"}
      </button>
    </form>
  );
}
