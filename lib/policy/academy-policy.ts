import "server-only";
import { z } from "zod";
import { resolvePolicy, validatePolicy, type AttendancePolicy } from "../attendance/index.ts";
import type { PrismaClient } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import {
  overrideAuthorName,
  overrideAuthorRef,
  resolveOverrideAuthors,
  type OverrideActor,
} from "../reports/override-author.ts";
import { SESSION_TYPES } from "../sessions/session-schemas.ts";
import { MAX_GRACE_MINUTES } from "./policy-fields.ts";
import { canonicalPolicyValues, type PolicyValues } from "./policy-values.ts";

const ratio = (name: string) =>
  z
    .number(`${name} must be a number`)
    .min(0, `${name} must be a ratio between 0 and 1`)
    .max(1, `${name} must be a ratio between 0 and 1`);

// The fields' names as the dashboard's form says them (policy-fields.ts), so a refusal names the field.
const ZPolicyFieldsSchema = z.strictObject({
  graceMinutes: z
    .number("Grace period must be a number of minutes")
    .int("Grace period must be a whole number of minutes")
    .min(0, `Grace period must be between 0 and ${MAX_GRACE_MINUTES} minutes`)
    .max(MAX_GRACE_MINUTES, `Grace period must be between 0 and ${MAX_GRACE_MINUTES} minutes`),
  absentBelow: ratio("Absent below"),
  partialAtOrBelow: ratio("Partial at or below"),
  presentAbove: ratio("Present above"),
});

const ZTypeOverrideSchema = z
  .strictObject({
    graceMinutes: ZPolicyFieldsSchema.shape.graceMinutes.nullable(),
    absentBelow: ZPolicyFieldsSchema.shape.absentBelow.nullable(),
    partialAtOrBelow: ZPolicyFieldsSchema.shape.partialAtOrBelow.nullable(),
    presentAbove: ZPolicyFieldsSchema.shape.presentAbove.nullable(),
  })
  .partial()
  .nullable()
  .optional();

export const ZPolicyUpdateSchema = z.strictObject({
  /** The academy's defaults; omitted fields keep their value. */
  defaults: ZPolicyFieldsSchema.partial().optional(),
  /** Per session type: a field set to null falls back to the academy's default; null for a type removes its override. */
  types: z
    .strictObject(
      Object.fromEntries(SESSION_TYPES.map((type) => [type, ZTypeOverrideSchema])) as Record<
        (typeof SESSION_TYPES)[number],
        typeof ZTypeOverrideSchema
      >,
    )
    .partial()
    .optional(),
});
export type TPolicyUpdate = z.infer<typeof ZPolicyUpdateSchema>;

type Overrides = Partial<Record<keyof AttendancePolicy, number | null>>;

export interface AcademyPolicyView {
  /** The current version (policy_version): each saved change is a new one. */
  version: number;
  defaults: AttendancePolicy;
  types: Record<(typeof SESSION_TYPES)[number], { overrides: Overrides; effective: AttendancePolicy }>;
}

/** The academy's attendance policy: its defaults, each type's overrides, and what each type gets. */
export async function getAcademyPolicy(
  db: PrismaClient | Prisma.TransactionClient,
  academyId: string,
): Promise<AcademyPolicyView> {
  const academy = await db.academy.findUniqueOrThrow({ where: { id: academyId }, include: { typePolicies: true } });
  const defaults: AttendancePolicy = {
    graceMinutes: academy.graceMinutes,
    absentBelow: academy.absentBelow,
    partialAtOrBelow: academy.partialAtOrBelow,
    presentAbove: academy.presentAbove,
  };
  const types = Object.fromEntries(
    SESSION_TYPES.map((type) => {
      const row = academy.typePolicies.find((policy) => policy.sessionType === type);
      const overrides: Overrides = row
        ? {
            graceMinutes: row.graceMinutes,
            absentBelow: row.absentBelow,
            partialAtOrBelow: row.partialAtOrBelow,
            presentAbove: row.presentAbove,
          }
        : {};
      return [type, { overrides, effective: resolvePolicy(defaults, overrides) }];
    }),
  ) as AcademyPolicyView["types"];
  return { version: academy.policyVersion, defaults, types };
}

/** The view's values in their stored form (policy_version). */
export function policyValuesOf(view: AcademyPolicyView): PolicyValues {
  return canonicalPolicyValues(
    view.defaults,
    Object.fromEntries(SESSION_TYPES.map((type) => [type, view.types[type].overrides])),
  );
}

/**
 * The policy an update would give, validated: every resulting policy (the defaults and each type's)
 * must be valid, or it is refused (422) naming which. Nothing is written; the preview and the save
 * both start here.
 */
export function applyPolicyUpdate(current: AcademyPolicyView, update: TPolicyUpdate): PolicyValues {
  const defaults = { ...current.defaults, ...update.defaults };
  const typeOverrides = Object.fromEntries(
    SESSION_TYPES.map((type) => {
      const change = update.types?.[type];
      const overrides: Overrides = change === null ? {} : { ...current.types[type].overrides, ...(change ?? {}) };
      return [type, overrides];
    }),
  ) as Record<(typeof SESSION_TYPES)[number], Overrides>;
  for (const [label, policy] of [
    ["defaults", defaults],
    ...SESSION_TYPES.map((type) => [type, resolvePolicy(defaults, typeOverrides[type])] as const),
  ] as const) {
    try {
      validatePolicy(policy);
    } catch (error) {
      throw new AppError("validation_failed", "The policy is not valid.", [
        { path: label, message: (error as Error).message },
      ]);
    }
  }
  return canonicalPolicyValues(defaults, typeOverrides);
}

/**
 * Changes the academy's policy: a new version, with who saved it and when (an update that changes
 * nothing saves none). Every resulting policy must be valid, or nothing changes (applyPolicyUpdate).
 * Sessions calculated from then on use the new version; a session already calculated keeps the
 * version it used, through any recalculation, until an admin applies the new one to past classes
 * (lib/policy/apply-policy.ts). The policy is read and written in one transaction holding the
 * academy's row (FOR UPDATE), so two updates of different fields at once both survive: the second
 * reads what the first wrote, and versions are numbered without a gap or a repeat.
 */
export async function updateAcademyPolicy(
  db: PrismaClient,
  academyId: string,
  update: TPolicyUpdate,
  actor: OverrideActor,
): Promise<AcademyPolicyView> {
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM academy WHERE id = ${academyId} FOR UPDATE`;
    await writeAcademyPolicy(tx, academyId, update, actor);
  });
  return getAcademyPolicy(db, academyId);
}

async function writeAcademyPolicy(
  tx: Prisma.TransactionClient,
  academyId: string,
  update: TPolicyUpdate,
  actor: OverrideActor,
): Promise<void> {
  const current = await getAcademyPolicy(tx, academyId);
  const values = applyPolicyUpdate(current, update);
  if (JSON.stringify(values) === JSON.stringify(policyValuesOf(current))) return;
  const version = current.version + 1;
  await tx.academy.update({ where: { id: academyId }, data: { ...values.defaults, policyVersion: version } });
  for (const type of SESSION_TYPES) {
    const o = values.types[type] ?? {};
    const data = {
      graceMinutes: o.graceMinutes ?? null,
      absentBelow: o.absentBelow ?? null,
      partialAtOrBelow: o.partialAtOrBelow ?? null,
      presentAbove: o.presentAbove ?? null,
    };
    await tx.sessionTypePolicy.upsert({
      where: { academyId_sessionType: { academyId, sessionType: type } },
      create: { academyId, sessionType: type, ...data },
      update: data,
    });
  }
  await tx.policyVersion.create({
    data: {
      academyId,
      version,
      defaults: { ...values.defaults },
      types: values.types,
      actor: overrideAuthorRef(actor),
    },
  });
}

export interface PolicyVersionView extends PolicyValues {
  version: number;
  /** Who saved it, by their current name; null for version 1 (the academy's first policy). */
  by: string | null;
  at: string;
}

/** Every version of the academy's policy, newest first. */
export async function listPolicyVersions(db: PrismaClient, academyId: string): Promise<PolicyVersionView[]> {
  const rows = await db.policyVersion.findMany({ where: { academyId }, orderBy: { version: "desc" } });
  const authors = await resolveOverrideAuthors(
    db,
    rows.map((row) => row.actor),
  );
  return rows.map((row) => ({
    version: row.version,
    defaults: row.defaults as unknown as AttendancePolicy,
    types: row.types as PolicyValues["types"],
    by: overrideAuthorName(row.actor, authors),
    at: row.createdAt.toISOString(),
  }));
}
