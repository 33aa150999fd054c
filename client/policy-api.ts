// The admin policy page's calls: preview a change (or the current version) over past classes,
// recalculate past classes with the current version, and read one recorded recalculation.
import type { TPolicyUpdate } from "@/lib/policy/academy-policy.ts";
import type { PolicyApplicationResult } from "@/lib/policy/apply-policy.ts";
import type { PolicyPreview } from "@/lib/policy/policy-changes.ts";
import { apiFetch } from "./api-fetch.ts";

/** The look-backs offered (the API takes 1 to 52 weeks): a week, a fortnight, a month, … a year. */
export const POLICY_WEEKS = [1, 2, 4, 8, 13, 26, 52] as const;
export const DEFAULT_POLICY_WEEKS = 4;

export type { PolicyPreview, PolicyApplicationResult };
export type RecordedApplication = Omit<PolicyApplicationResult, "failures">;

/** What recalculating the last `weeks` weeks would change: with `changes`, under the changed policy; without, under the current version. */
export async function previewPolicy(body: { changes?: TPolicyUpdate; weeks: number }): Promise<PolicyPreview> {
  return (await apiFetch<{ preview: PolicyPreview }>("/api/dashboard/policy/preview", { method: "POST", body }))
    .preview;
}

/** Recalculates the last `weeks` weeks of classes with the current version; the answer is the recorded diff. */
export async function applyPolicy(weeks: number): Promise<PolicyApplicationResult> {
  return (
    await apiFetch<{ application: PolicyApplicationResult }>("/api/dashboard/policy/applications", {
      method: "POST",
      body: { weeks },
    })
  ).application;
}

/** One past recalculation with what it changed. */
export async function fetchApplication(id: string): Promise<RecordedApplication> {
  return (
    await apiFetch<{ application: RecordedApplication }>(`/api/dashboard/policy/applications/${encodeURIComponent(id)}`)
  ).application;
}
