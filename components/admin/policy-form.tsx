"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { AcademyPolicyView } from "@/lib/policy/academy-policy.ts";
import { apiFetch } from "../api-fetch.ts";

const FIELDS = [
  { key: "graceMinutes", label: "Grace (minutes)", hint: "joining later than this after the start is late", step: "1", scale: 1 },
  { key: "absentBelow", label: "Absent below (%)", hint: "attended share under this is absent", step: "0.1", scale: 100 },
  { key: "partialAtOrBelow", label: "Partial at or below (%)", hint: "at or under this is partial", step: "0.1", scale: 100 },
  { key: "presentAbove", label: "Present above (%)", hint: "over this is present, even when late", step: "0.1", scale: 100 },
] as const;
const TYPES = ["quran", "academic", "interactive"] as const;
type Field = (typeof FIELDS)[number]["key"];

/** The academy's defaults and per-type overrides; an empty type field uses the default. */
export function PolicyForm({ policy }: { policy: AcademyPolicyView }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const mutation = useMutation({
    mutationFn: (body: unknown) => apiFetch<{ policy: AcademyPolicyView }>("/api/dashboard/policy", { method: "PUT", body }),
    onSuccess: () => {
      setSaved(true);
      router.refresh();
    },
  });
  const show = (value: number | null | undefined, scale: number) => (value === null || value === undefined ? "" : String(Math.round(value * scale * 1000) / 1000));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const read = (name: string, scale: number) => {
      const raw = String(form.get(name) ?? "").trim();
      return raw === "" ? null : Number(raw) / scale;
    };
    const defaults: Partial<Record<Field, number>> = {};
    for (const field of FIELDS) {
      const value = read(`defaults.${field.key}`, field.scale);
      if (value !== null) defaults[field.key] = value;
    }
    const types = Object.fromEntries(
      TYPES.map((type) => [type, Object.fromEntries(FIELDS.map((field) => [field.key, read(`${type}.${field.key}`, field.scale)]))]),
    );
    mutation.mutate({ defaults, types });
  }

  const input = "mt-1 w-28 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm tabular-nums";
  return (
    <form onSubmit={onSubmit} className="space-y-6" aria-label="Attendance policy">
      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">Academy defaults</legend>
        <div className="flex flex-wrap gap-4">
          {FIELDS.map((field) => (
            <div key={field.key}>
              <label htmlFor={`defaults.${field.key}`} className="block text-xs font-medium text-slate-800">
                {field.label}
              </label>
              <input id={`defaults.${field.key}`} name={`defaults.${field.key}`} type="number" step={field.step} min="0" required defaultValue={show(policy.defaults[field.key], field.scale)} className={input} aria-describedby={`hint-${field.key}`} />
              <p id={`hint-${field.key}`} className="mt-1 max-w-40 text-xs text-slate-600">
                {field.hint}
              </p>
            </div>
          ))}
        </div>
      </fieldset>
      {TYPES.map((type) => (
        <fieldset key={type} className="rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">{type} sessions</legend>
          <div className="flex flex-wrap gap-4">
            {FIELDS.map((field) => (
              <div key={field.key}>
                <label htmlFor={`${type}.${field.key}`} className="block text-xs font-medium text-slate-800">
                  {field.label}
                </label>
                <input
                  id={`${type}.${field.key}`}
                  name={`${type}.${field.key}`}
                  type="number"
                  step={field.step}
                  min="0"
                  placeholder={`default ${show(policy.defaults[field.key], field.scale)}`}
                  defaultValue={show(policy.types[type].overrides[field.key], field.scale)}
                  className={input}
                />
              </div>
            ))}
          </div>
        </fieldset>
      ))}
      <div role="status" aria-live="polite" className="text-sm">
        {mutation.error ? <span className="text-rose-800">{mutation.error.message}</span> : null}
        {saved ? <span className="text-emerald-800">Saved. New calculations use it; recalculate a session to apply it there.</span> : null}
      </div>
      <button type="submit" disabled={mutation.isPending} className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60">
        {mutation.isPending ? "Saving…" : "Save policy"}
      </button>
    </form>
  );
}
