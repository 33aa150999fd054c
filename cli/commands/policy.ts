import "server-only";
import type { AttendancePolicy } from "../../lib/attendance/index.ts";
import { changeInWords, type ChangesSummary } from "../../lib/calculation/report-changes.ts";
import { getPool } from "../../lib/db/client.ts";
import { AppError } from "../../lib/errors.ts";
import {
  getAcademyPolicy,
  listPolicyVersions,
  updateAcademyPolicy,
  type AcademyPolicyView,
  type TPolicyUpdate,
} from "../../lib/policy/academy-policy.ts";
import { listPolicyApplications, type PolicyApplicationView } from "../../lib/policy/apply-policy.ts";
import { parseKeysetCursor, type KeysetCursor } from "../../lib/paging/keyset-cursor.ts";
import { applyCurrentPolicy, previewPolicyChange } from "../../lib/policy/policy-changes.ts";
import {
  POLICY_FIELDS,
  policyFieldsInWords,
  policyValueInWords,
  typeOverridesInWords,
  type PolicyField,
} from "../../lib/policy/policy-fields.ts";
import type { PolicyValues } from "../../lib/policy/policy-values.ts";
import { SESSION_TYPES } from "../../lib/sessions/session-types.ts";
import { zonedIso, zonedIsoMinute } from "../../lib/time/zoned-time.ts";
import type { ParsedCommand } from "../define-command.ts";
import type {
  POLICY_APPLICATIONS_OPTIONS,
  POLICY_APPLY_OPTIONS,
  POLICY_PREVIEW_OPTIONS,
  POLICY_SET_OPTIONS,
  POLICY_SHOW_OPTIONS,
  POLICY_VERSIONS_OPTIONS,
} from "../definitions/policy.ts";
import { requireAcademy } from "../lookups.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";
import { joinWords } from "../suggest.ts";

/** The command line, as the author of what it saves and applies. */
const CLI_ACTOR = { kind: "cli" } as const;

/** The CLI's option for each policy field, in the form's order; the field's name and unit are the form's. */
const OPTIONS: Record<PolicyField, string> = {
  graceMinutes: "grace",
  absentBelow: "absent-below",
  partialAtOrBelow: "partial-at-or-below",
  presentAbove: "present-above",
};
const FIELDS = POLICY_FIELDS.map((field) => ({ ...field, option: OPTIONS[field.key] }));

type ValueOptions = ParsedCommand<typeof POLICY_SET_OPTIONS>["values"];

/** A ratio option's value: a number from 0 to 1, or a usage error naming the option. */
function readRatio(option: string, text: string): number {
  const value = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 1))
    throw new UsageError(`--${option} must be a ratio from 0 to 1, e.g. 0.5, not ${JSON.stringify(text)}`);
  return value;
}

/** The update the value options describe (with --type, that type's overrides), or null with none given. */
function updateOfOptions(values: ValueOptions): TPolicyUpdate | null {
  const fields: Partial<AttendancePolicy> = {};
  for (const { key, option } of FIELDS) {
    const given = values[option as keyof ValueOptions];
    if (given === undefined) continue;
    fields[key] = typeof given === "number" ? given : readRatio(option, given);
  }
  if (!Object.keys(fields).length) {
    if (values.type) throw new UsageError(`--type says whose values to set; give one too: ${optionList()}`);
    return null;
  }
  return values.type ? { types: { [values.type]: fields } } : { defaults: fields };
}

const optionList = () =>
  joinWords(
    FIELDS.map(({ option }) => `--${option}`),
    "or",
  );

/** Runs a change of the policy; a refusal (an invalid resulting policy) is a usage error, saying why. */
async function refusedAsUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    const details = (error.details ?? []) as { path: string; message: string }[];
    throw new UsageError(
      `${error.message} ${details.map((detail) => `${detail.path}: ${detail.message}`).join("; ")}`.trim(),
    );
  }
}

/** The policy as a table: the defaults, then each type's effective values, a type's own marked "*". */
function policyLines(slug: string, policy: AcademyPolicyView): string[] {
  const row = (scope: string, values: AttendancePolicy, own: Partial<Record<keyof AttendancePolicy, unknown>>) => [
    scope,
    ...POLICY_FIELDS.map(
      (field) => `${policyValueInWords(field, values[field.key])}${typeof own[field.key] === "number" ? "*" : ""}`,
    ),
  ];
  const rows = [
    row("defaults", policy.defaults, {}),
    ...SESSION_TYPES.map((type) => row(type, policy.types[type].effective, policy.types[type].overrides)),
  ];
  const anyOwn = SESSION_TYPES.some((type) =>
    Object.values(policy.types[type].overrides).some((v) => typeof v === "number"),
  );
  return [
    `Attendance policy of ${slug}: version ${policy.version}.`,
    formatTable(["applies to", ...POLICY_FIELDS.map(({ name }) => name)], rows),
    ...(anyOwn ? ["* the type's own value; the others are the academy's defaults."] : []),
  ];
}

export async function policyShow({ values }: ParsedCommand<typeof POLICY_SHOW_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    console.log(policyLines(academy.slug, await getAcademyPolicy(db.prisma, academy.id)).join("\n"));
    return 0;
  });
}

/** "quran: Grace period 10 min; academic: Absent below 20 %", or "none". */
function overridesInWords(types: PolicyValues["types"]): string {
  const set = typeOverridesInWords(types);
  return set.length ? set.join("; ") : "none";
}

export async function policyVersions({ values }: ParsedCommand<typeof POLICY_VERSIONS_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const versions = await listPolicyVersions(db.prisma, academy.id);
    console.log(`${versions.length} version(s) of ${academy.slug}'s policy, the newest (current) first:`);
    console.log(
      formatTable(
        ["version", "saved", "by", "defaults", "type overrides"],
        versions.map((version) => [
          version.version,
          zonedIso(new Date(version.at), academy.timezone, "second"),
          version.by ?? "(with the academy)",
          policyFieldsInWords(version.defaults),
          overridesInWords(version.types),
        ]),
      ),
    );
    return 0;
  });
}

/** What a preview or an application changes: the summary, then each changed row under its class. */
function changesLines(changes: ChangesSummary, timeZone: string): string[] {
  return [
    changes.words,
    ...changes.sessionsChanged.flatMap((session) => [
      `${zonedIsoMinute(new Date(session.scheduledStart), timeZone)}  ${session.title}  (${session.sessionId})`,
      ...session.changes.map((change) => `  ${changeInWords(change)}`),
    ]),
  ];
}

const classes = (n: number) => `${n} calculated class${n === 1 ? "" : "es"}`;
const weeksWords = (n: number) => (n === 1 ? "the last week" : `the last ${n} weeks`);

export async function policyPreview({ values }: ParsedCommand<typeof POLICY_PREVIEW_OPTIONS>): Promise<number> {
  const changes = updateOfOptions(values);
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const preview = await refusedAsUsage(() =>
      previewPolicyChange(db.prisma, getPool(), academy.id, { changes: changes ?? undefined, weeks: values.weeks }),
    );
    const what = changes
      ? `Version ${preview.currentVersion} with ${describeUpdate(changes)}`
      : `Version ${preview.currentVersion} as saved`;
    console.log(
      `${what}, over ${classes(preview.sessions)} of ${academy.slug} scheduled to end in ${weeksWords(values.weeks)} (nothing is written):`,
    );
    console.log(changesLines(preview, academy.timezone).join("\n"));
    return 0;
  });
}

/** "Grace period 10 min" or "quran: Grace period 10 min": an update in words. */
function describeUpdate(update: TPolicyUpdate): string {
  if (update.defaults) return policyFieldsInWords(update.defaults);
  const [type, fields] = Object.entries(update.types ?? {})[0]!;
  return `${type}: ${policyFieldsInWords(fields as Partial<AttendancePolicy>)}`;
}

export async function policySet({ values }: ParsedCommand<typeof POLICY_SET_OPTIONS>): Promise<number> {
  const update = updateOfOptions(values);
  if (!update) throw new UsageError(`say what to change: ${optionList()}`);
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const before = await getAcademyPolicy(db.prisma, academy.id);
    const after = await refusedAsUsage(() => updateAcademyPolicy(db.prisma, academy.id, update, CLI_ACTOR));
    console.log(
      after.version === before.version
        ? `Nothing changed: ${describeUpdate(update)} is the policy already; version ${after.version} stays.`
        : `Saved version ${after.version} (${describeUpdate(update)}). Classes calculated before keep their version until 'rollcall policy:apply'.`,
    );
    console.log(policyLines(academy.slug, after).join("\n"));
    return 0;
  });
}

export async function policyApply({ values }: ParsedCommand<typeof POLICY_APPLY_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const applied = await applyCurrentPolicy(getPool(), academy.id, { weeks: values.weeks, actor: CLI_ACTOR });
    console.log(
      `Applied version ${applied.policyVersion} to ${classes(applied.changes.sessions)} of ${academy.slug} scheduled to end in ${weeksWords(values.weeks)} (application ${applied.id}):`,
    );
    console.log(changesLines(applied.changes, academy.timezone).join("\n"));
    for (const failure of applied.failures) console.error(`failed: ${failure.sessionId}: ${failure.error}`);
    return applied.failures.length ? 1 : 0;
  });
}

export async function policyApplications({
  values,
}: ParsedCommand<typeof POLICY_APPLICATIONS_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    // Every one, however many: the API and the page show them a page at a time.
    const applications: PolicyApplicationView[] = [];
    let before: KeysetCursor | undefined;
    for (;;) {
      const page = await listPolicyApplications(getPool(), db.prisma, academy.id, { before });
      applications.push(...page.applications);
      if (!page.nextBefore) break;
      before = parseKeysetCursor(page.nextBefore)!;
    }
    const at = (iso: string) => zonedIso(new Date(iso), academy.timezone, "second");
    console.log(
      `${applications.length} application(s) of a policy version to ${academy.slug}'s past classes, newest first:`,
    );
    console.log(
      formatTable(
        ["applied", "version", "by", "classes ending from", "to", "classes", "changed", "rows changed", "id"],
        applications.map((each) => [
          at(each.at),
          each.policyVersion,
          each.by ?? "",
          at(each.from),
          at(each.to),
          each.sessions,
          each.changedSessions,
          each.changedRows,
          each.id,
        ]),
      ),
    );
    return 0;
  });
}
