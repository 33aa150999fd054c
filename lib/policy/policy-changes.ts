import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import type { ChangesSummary } from "../calculation/report-changes.ts";
import type { OverrideActor } from "../reports/override-author.ts";
import { applyPolicyUpdate, getAcademyPolicy, policyValuesOf, ZPolicyUpdateSchema } from "./academy-policy.ts";
import { applyPolicyToPast, POLICY_APPLICATIONS_PAGE, type PolicyApplicationResult } from "./apply-policy.ts";
import { zKeysetCursor } from "../paging/keyset-cursor.ts";
import type { PolicyValues } from "./policy-values.ts";
import { MAX_POLICY_WEEKS, policyRange, previewPolicy } from "./preview-policy.ts";
import type pg from "pg";

const ZWeeks = z
  .number("weeks must be a whole number of weeks")
  .int("weeks must be a whole number of weeks")
  .min(1, `weeks must be from 1 to ${MAX_POLICY_WEEKS}`)
  .max(MAX_POLICY_WEEKS, `weeks must be from 1 to ${MAX_POLICY_WEEKS}`);

/** A preview: the change being considered (omitted: the current version as saved) over the last `weeks` weeks. */
export const ZPolicyPreviewSchema = z.strictObject({ changes: ZPolicyUpdateSchema.optional(), weeks: ZWeeks });
export type TPolicyPreview = z.infer<typeof ZPolicyPreviewSchema>;

/** Applying the current version to the classes of the last `weeks` weeks. */
export const ZPolicyApplySchema = z.strictObject({ weeks: ZWeeks });

/** GET …/policy/applications: a page of them, newest first, older than `before` (a `nextBefore`). */
export const ZPolicyApplicationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(POLICY_APPLICATIONS_PAGE),
  before: zKeysetCursor("nextBefore").optional(),
});

export interface PolicyPreview extends ChangesSummary {
  /** The academy's current version, which the preview starts from. */
  currentVersion: number;
  /** The policy previewed: the current version with the changes. */
  values: PolicyValues;
  from: string;
  to: string;
}

/**
 * What a policy change (or, without one, the current version) would do to the academy's calculated
 * classes of the last `weeks` weeks if they were recalculated with it; nothing is written.
 */
export async function previewPolicyChange(
  db: PrismaClient,
  pool: pg.Pool,
  academyId: string,
  { changes, weeks }: TPolicyPreview,
  now: Date = new Date(),
): Promise<PolicyPreview> {
  const current = await getAcademyPolicy(db, academyId);
  const values = changes ? applyPolicyUpdate(current, changes) : policyValuesOf(current);
  const { from, to } = policyRange(now, weeks);
  const summary = await previewPolicy(pool, { academyId, values, from, to });
  return { currentVersion: current.version, values, from: from.toISOString(), to: to.toISOString(), ...summary };
}

/** Recalculates the academy's calculated classes of the last `weeks` weeks with its current policy version, recorded. */
export async function applyCurrentPolicy(
  pool: pg.Pool,
  academyId: string,
  { weeks, actor }: { weeks: number; actor: OverrideActor },
  now: Date = new Date(),
): Promise<PolicyApplicationResult> {
  return applyPolicyToPast(pool, { academyId, actor, ...policyRange(now, weeks) });
}
