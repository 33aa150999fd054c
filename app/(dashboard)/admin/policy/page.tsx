import type { Metadata } from "next";
import { PolicyForm } from "@/components/admin/policy-form.tsx";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getAcademyPolicy } from "@/lib/policy/academy-policy.ts";

export const metadata: Metadata = { title: "Attendance policy · Rollcall" };

export default async function PolicyPage() {
  const viewer = await requireAdmin("/admin/policy");
  const policy = await getAcademyPolicy(getPrisma(), viewer.academyId);
  return (
    <div>
      <h1 className="text-2xl font-semibold">Attendance policy</h1>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">
        How {viewer.academyName}&apos;s reports turn minutes into present, late, partial and absent. Each report keeps
        the policy it was calculated with; changing it here affects new calculations.
      </p>
      <PolicyForm policy={policy} />
    </div>
  );
}
