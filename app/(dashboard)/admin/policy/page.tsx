import type { Metadata } from "next";
import { PolicyForm } from "@/components/admin/policy-form.tsx";
import { ApplicationList, VersionHistory } from "@/components/policy/policy-history.tsx";
import { RecalculatePanel } from "@/components/policy/recalculate-panel.tsx";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { getPool, getPrisma } from "@/lib/db/client.ts";
import { getAcademyPolicy, listPolicyVersions } from "@/lib/policy/academy-policy.ts";
import { listPolicyApplications } from "@/lib/policy/apply-policy.ts";
import { parseKeysetCursor } from "@/lib/paging/keyset-cursor.ts";
import { formatDayTime as when } from "@/lib/time/format.ts";

export const metadata: Metadata = { title: "Attendance policy · Rollcall" };

export default async function PolicyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireAdmin("/admin/policy");
  const db = getPrisma();
  // Past recalculations page by `before` (the last shown one's cursor); a malformed cursor is
  // ignored, as the dashboard's other lists ignore one: the newest page.
  const raw = (await searchParams).before;
  const before = parseKeysetCursor(Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? "")) ?? undefined;
  const [policy, versions, { applications, nextBefore }] = await Promise.all([
    getAcademyPolicy(db, viewer.academyId),
    listPolicyVersions(db, viewer.academyId),
    listPolicyApplications(getPool(), db, viewer.academyId, { before }),
  ]);
  const tz = viewer.timezone;
  const current = versions.find((version) => version.version === policy.version);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Attendance policy</h1>
        <p className="max-w-2xl text-sm text-slate-600">
          How {viewer.academyName}&apos;s reports turn minutes into present, late, partial and absent. Each class keeps
          the version of the policy it was calculated with until it is recalculated with a newer one below.
        </p>
        <p className="mt-2 font-medium" data-testid="policy-version">
          Version {policy.version}
          {current
            ? current.by
              ? `, saved by ${current.by} on ${when(current.at, tz)}.`
              : `, the academy's first policy, since ${when(current.at, tz)}.`
            : "."}
        </p>
      </div>
      <section aria-labelledby="change-heading" className="space-y-3">
        <h2 id="change-heading" className="text-lg font-semibold">
          Change the policy
        </h2>
        <PolicyForm policy={policy} timeZone={tz} />
      </section>
      <RecalculatePanel key={policy.version} version={policy.version} timeZone={tz} />
      <ApplicationList
        applications={applications}
        timeZone={tz}
        nextBefore={nextBefore}
        isOlderPage={before !== undefined}
      />
      <VersionHistory versions={versions} timeZone={tz} />
    </div>
  );
}
